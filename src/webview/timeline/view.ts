// The Timeline webview: renders what the extension posts — the recording's steps, the selected
// step's detail, the recordings it can switch to, and whether the code changed since — and posts
// each selection, the recording picked and the Replay / Re-run buttons back. The extension owns the
// selection (it highlights the editor line and answers with the step's detail). The page's markup
// is the host's (timelinePage.ts).
import type {
  CompareHeader,
  FromTimelineWebview,
  RecordingEntry,
  ToTimelineWebview,
  WhyMark,
} from '../../extension/timeline/protocol';
import { byId, el } from '../shared/dom';
import type { Host } from '../shared/host';
import { detailElements } from './detail';
import { StepList } from './stepList';

export class TimelinePage {
  private readonly list: StepList;
  private readonly detail = byId('detail');
  private readonly recording = byId<HTMLSelectElement>('recording');
  private readonly recordedWith = byId('recorded-with');
  private readonly note = byId('note');
  private readonly stale = byId('stale');
  private readonly staleText = byId('stale-text');
  private readonly replay = byId<HTMLButtonElement>('replay');
  private readonly compare = byId('compare');
  private readonly compareTitle = byId('compare-title');
  private readonly compareSummary = byId('compare-summary');
  private readonly compareFirst = byId<HTMLButtonElement>('compare-first');
  private readonly compareWith = byId<HTMLButtonElement>('compare-with');
  private readonly why = byId('why');
  private readonly whyText = byId('why-text');
  private readonly whyBack = byId<HTMLButtonElement>('why-back');
  private readonly whyForward = byId<HTMLButtonElement>('why-forward');
  /** The chain shown, and whether the extension wants to hear what was shown (its tests). */
  private chain: WhyMark | null = null;
  private reportWhy = false;
  private selected: number | undefined;

  constructor(private readonly host: Host<FromTimelineWebview>) {
    this.list = new StepList(byId('steps'), (index) => host.postMessage({ type: 'select', index }));
    byId('why-clear').addEventListener('click', () => host.postMessage({ type: 'clearWhy' }));
    this.whyBack.addEventListener('click', () => this.alongChain(1));
    this.whyForward.addEventListener('click', () => this.alongChain(-1));
    this.replay.addEventListener('click', () => host.postMessage({ type: 'replay' }));
    byId('rerun').addEventListener('click', () => host.postMessage({ type: 'rerun' }));
    this.compareWith.addEventListener('click', () => host.postMessage({ type: 'compare-with' }));
    this.compareFirst.addEventListener('click', () => host.postMessage({ type: 'compare-first' }));
    byId('compare-stop').addEventListener('click', () =>
      host.postMessage({ type: 'compare-stop' }),
    );
    this.recording.addEventListener('change', () =>
      host.postMessage({ type: 'recording', id: Number(this.recording.value) }),
    );
  }

  receive(m: ToTimelineWebview): void {
    switch (m.type) {
      case 'trace':
        this.showWhy(null);
        this.selected = m.selected;
        this.showRecordings(m.recordings, m.current);
        this.recordedWith.textContent = m.recordedWith;
        this.note.hidden = !m.note;
        this.note.textContent = m.note;
        document.body.classList.toggle('is-patched', Boolean(m.note));
        this.showStale(m.stale);
        this.detail.textContent = '';
        this.replay.disabled = m.rows.length === 0;
        this.compareWith.disabled = m.rows.length === 0;
        this.showCompare(m.compare);
        this.list.setRows(m.rows, m.elision, m.selected, m.compare?.bShort ?? '');
        // The chain may have come before these rows (the view loads while it is posted).
        this.report();
        return;
      case 'select':
        this.selected = m.index;
        this.list.show(m.index);
        this.detail.replaceChildren(...detailElements(m.detail));
        this.updateChainButtons();
        this.report();
        return;
      case 'why':
        this.reportWhy = m.report;
        this.showWhy(m.why);
        this.report();
        return;
      case 'stale':
        this.showStale(m.files);
        return;
      case 'clear':
        this.showWhy(null);
        this.selected = undefined;
        this.showRecordings(m.recordings, undefined);
        this.recordedWith.textContent = '';
        this.note.hidden = true;
        this.showStale([]);
        this.detail.textContent = '';
        this.replay.disabled = true;
        this.compareWith.disabled = true;
        this.showCompare(undefined);
        this.list.setRows([], null);
        return;
    }
  }

  /** The why-chain's header and row marks (null: neither). */
  private showWhy(chain: WhyMark | null): void {
    this.chain = chain;
    this.why.hidden = chain === null;
    this.whyText.textContent = chain ? `${chain.title} — ${chain.detail}` : '';
    this.whyText.title = chain
      ? 'The steps that made this value are marked in the list and the code'
      : '';
    document.body.classList.toggle('has-why', chain !== null);
    this.list.setMarked(chain?.events ?? []);
    this.updateChainButtons();
  }

  /** Position of the selected step on the chain (-1: not on it). */
  private chainPosition(): number {
    return this.chain && this.selected !== undefined
      ? this.chain.events.indexOf(this.selected)
      : -1;
  }

  /** Selects the chain's step `delta` links further back (1) or nearer the question (-1). */
  private alongChain(delta: 1 | -1): void {
    const events = this.chain?.events ?? [];
    if (events.length === 0) return;
    const p = this.chainPosition();
    const to = events[p < 0 ? 0 : Math.min(events.length - 1, Math.max(0, p + delta))];
    if (to !== undefined && to !== this.selected)
      this.host.postMessage({ type: 'select', index: to });
  }

  private updateChainButtons(): void {
    const n = this.chain?.events.length ?? 0;
    const p = this.chainPosition();
    this.whyBack.disabled = n === 0 || (p >= 0 && p >= n - 1);
    this.whyForward.disabled = n === 0 || p <= 0;
  }

  /** Tells the extension what the list shows of the chain (only when it asked: its tests). */
  private report(): void {
    if (!this.reportWhy) return;
    this.host.postMessage({
      type: 'whyShown',
      header: this.why.hidden ? '' : (this.whyText.textContent ?? ''),
      marked: this.list.markedBuilt(),
    });
  }

  private showRecordings(entries: readonly RecordingEntry[], current: number | undefined): void {
    const select = this.recording;
    select.textContent = '';
    if (current === undefined && entries.length) {
      const none = el('option', '', 'Nothing on screen: pick a recording');
      none.disabled = true;
      none.selected = true;
      select.append(none);
    }
    for (const r of entries) {
      const o = el('option', r.kind, r.label);
      o.value = String(r.id);
      o.selected = r.id === current;
      select.append(o);
    }
    if (entries.length === 0) select.append(el('option', '', 'No trace recorded yet'));
    select.disabled = entries.length === 0 || (entries.length === 1 && entries[0]?.id === current);
    select.title = entries.find((r) => r.id === current)?.label ?? 'No trace recorded yet';
  }

  /** The compare bar: what the rows are aligned with, and where they first part. */
  private showCompare(c: CompareHeader | undefined): void {
    this.compare.hidden = !c;
    document.body.classList.toggle('is-compared', Boolean(c));
    this.compareTitle.textContent = c?.title ?? '';
    this.compareSummary.textContent = c?.summary ?? '';
    this.compareFirst.disabled = c?.first === undefined;
  }

  private showStale(files: readonly string[]): void {
    this.stale.hidden = files.length === 0;
    this.staleText.textContent = files.length
      ? `⚠ Recorded before ${files.join(', ')} changed: the values are from the code as it was.`
      : '';
    document.body.classList.toggle('is-stale', files.length > 0);
  }
}
