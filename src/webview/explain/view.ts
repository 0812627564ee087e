// The Explanation webview: renders the view model the extension posts (banner, rounds, diff,
// verdict, buttons) and posts the user's clicks back — a step link, a link to open, a button's
// action. It keeps only what is the user's own: which rounds and tool calls they folded, and where
// they scrolled. The page's markup is the host's (explanationView.ts).
import type {
  ActionType,
  Banner,
  FromExplanationWebview,
  PanelAction,
  PanelView,
  ToExplanationWebview,
} from '../../extension/explain/protocol';
import { byId } from '../shared/dom';
import type { Host } from '../shared/host';
import { buttons, icon } from './blocks';
import { renderedView, type ReportedElements } from './report';
import { FoldMemory, roundSection } from './rounds';

/** How long a scroll must rest before the test report says which rounds are in view. */
const SCROLL_REPORT_MS = 150;

export class ExplanationPage {
  private readonly el: ReportedElements & { title: HTMLElement };
  private view: PanelView | undefined;
  private report = false;
  private shownSession: number | undefined;
  private scrolledTo: number | null = null;
  private readonly folds = new FoldMemory();
  private scrollTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: Host<FromExplanationWebview>) {
    this.el = {
      rounds: byId('rounds'),
      title: byId('title'),
      banner: byId('banner'),
      bannerTitle: byId('banner-title'),
      bannerDetail: byId('banner-detail'),
      bannerActions: byId('banner-actions'),
    };
    document.body.addEventListener('click', (ev) => this.onClick(ev));
    window.addEventListener('scroll', () => this.onScroll());
  }

  receive(m: ToExplanationWebview): void {
    if (m.type !== 'view') return;
    this.view = m.view;
    this.report = m.report;
    this.render(m.view);
  }

  private render(view: PanelView): void {
    const { rounds, banner, title } = this.el;
    const nearBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 24;
    if (this.shownSession !== view.session) {
      this.folds.clear();
      this.scrolledTo = null;
      this.shownSession = view.session;
    }
    this.renderBanner(view.banner);
    title.textContent = `Explain & Fix · ${view.title}`;
    rounds.replaceChildren(...view.rounds.map((r) => roundSection(r, this.folds)));
    const offset = banner.getBoundingClientRect().height + 4;
    for (const s of rounds.querySelectorAll<HTMLElement>('section.round'))
      s.style.scrollMarginTop = `${offset}px`;
    const running = view.status === 'running';
    if (view.focusRound !== null && (view.focusRound !== this.scrolledTo || running)) {
      const target = rounds.querySelector(`section.round[data-round="${view.focusRound}"]`);
      if (target && (!running || view.focusRound !== this.scrolledTo))
        target.scrollIntoView({ block: 'start' });
      else if (running && nearBottom) window.scrollTo(0, document.body.scrollHeight);
      this.scrolledTo = view.focusRound;
    }
    this.sendReport();
  }

  private renderBanner(b: Banner): void {
    const { banner, bannerTitle, bannerDetail, bannerActions } = this.el;
    banner.className = `banner kind-${b.kind}`;
    const head = banner.querySelector('.banner-head');
    head?.replaceChildren(icon(b.kind), bannerTitle);
    bannerTitle.textContent = b.title;
    bannerDetail.textContent = b.detail;
    bannerActions.replaceChildren(...buttons(b.actions).childNodes);
  }

  private sendReport(): void {
    if (this.report && this.view)
      this.host.postMessage({ type: 'rendered', ...renderedView(this.view, this.el) });
  }

  /** A scroll changes which round is in view: the test report says so once it rests. */
  private onScroll(): void {
    if (!this.report) return;
    clearTimeout(this.scrollTimer);
    this.scrollTimer = setTimeout(() => this.sendReport(), SCROLL_REPORT_MS);
  }

  private onClick(ev: MouseEvent): void {
    if (!(ev.target instanceof Element)) return;
    const action = actionOf(ev.target);
    if (!action) return;
    if (action.type === 'step' || action.type === 'open') ev.preventDefault();
    this.host.postMessage(action);
  }
}

/** What a click on `target` asks for: a step link, an external link or a button's action. */
export function actionOf(target: Element): PanelAction | undefined {
  const link = target.closest<HTMLElement>('a.step');
  if (link) return { type: 'step', step: Number(link.dataset.step), rec: Number(link.dataset.rec) };
  const ext = target.closest<HTMLElement>('a.external');
  if (ext) return { type: 'open', href: ext.dataset.href ?? '' };
  const b = target.closest<HTMLElement>('button[data-action]');
  if (!b) return undefined;
  const m: PanelAction = { type: b.dataset.action as ActionType, round: Number(b.dataset.round) };
  if (b.dataset.confirmed) m.confirmed = true;
  return m;
}
