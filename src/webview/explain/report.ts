// What the Explanation webview shows, read back from its DOM: posted to the extension only when it
// runs under its own tests (the view model says `report`), so they check the view itself and not
// just the state behind it. Users' views never send it.
import type { PanelView, RenderedRound, RenderedView } from '../../extension/explain/protocol';

const all = (root: ParentNode, selector: string): HTMLElement[] => [
  ...root.querySelectorAll<HTMLElement>(selector),
];

/** Rounds whose heading is on screen (below the sticky banner). */
function inView(rounds: HTMLElement, banner: HTMLElement): number[] {
  const top = banner.getBoundingClientRect().bottom;
  const shown: number[] = [];
  for (const s of all(rounds, 'section.round')) {
    const r = s.getBoundingClientRect();
    if (r.top >= top - 2 && r.top < window.innerHeight - 16) shown.push(Number(s.dataset.round));
  }
  return shown;
}

function renderedRound(sec: HTMLElement, view: PanelView): RenderedRound {
  const index = Number(sec.dataset.round);
  const r = view.rounds.find((x) => x.index === index);
  const rat = sec.querySelector<HTMLElement>('.rationale');
  const links = all(sec, '.rationale a.step').map((a) => a.dataset);
  const text = rat
    ? [...rat.childNodes]
        .filter((n) => !(n instanceof HTMLElement && n.classList.contains('cursor')))
        .map((n) => n.textContent)
        .join('\n')
    : '';
  return {
    index,
    text,
    links: links.map((d) => Number(d.step)),
    linkTargets: links.map((d) => ({ step: Number(d.step), rec: Number(d.rec) })),
    verdict: sec.querySelector('.verdict')?.textContent ?? '',
    streaming: r ? r.state === 'running' : false,
    buttons: all(sec, '.round-body > .buttons button').map((b) => b.textContent ?? ''),
    confirm: sec.querySelector('.confirm')?.textContent ?? '',
    collapsed: !(sec.querySelector('details')?.open ?? false),
    tags: rat ? [...new Set(all(rat, '*').map((e) => e.tagName.toLowerCase()))] : [],
    toolCalls: all(sec, '.tool-call').map((d) => ({
      name: d.querySelector('.tool-name')?.textContent ?? '',
      text: d.querySelector('.tool-answer')?.textContent ?? '',
      links: all(d, '.tool-answer a.step').map((a) => Number(a.dataset.step)),
      error: d.classList.contains('error'),
    })),
  };
}

export interface ReportedElements {
  rounds: HTMLElement;
  banner: HTMLElement;
  bannerTitle: HTMLElement;
  bannerDetail: HTMLElement;
  bannerActions: HTMLElement;
}

/** What the page shows of `view` now. */
export function renderedView(view: PanelView, e: ReportedElements): RenderedView {
  return {
    session: view.session,
    banner: {
      kind: view.banner.kind,
      title: e.bannerTitle.textContent ?? '',
      detail: e.bannerDetail.textContent ?? '',
      buttons: all(e.bannerActions, 'button').map((b) => b.textContent ?? ''),
    },
    rounds: all(e.rounds, 'section.round').map((sec) => renderedRound(sec, view)),
    inView: inView(e.rounds, e.banner),
  };
}
