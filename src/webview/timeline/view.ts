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

  constructor(host: Host<FromTimelineWebview>) {
    this.list = new StepList(byId('steps'), (index) => host.postMessage({ type: 'select', index }));
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
        return;
      case 'select':
        this.list.show(m.index);
        this.detail.replaceChildren(...detailElements(m.detail));
        return;
      case 'stale':
        this.showStale(m.files);
        return;
      case 'clear':
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
