// Entry of the Timeline webview's script (bundled to dist/webview/timeline.js).
import type { FromTimelineWebview, ToTimelineWebview } from '../../extension/timeline/protocol';
import { acquireHost, onHostMessage } from '../shared/host';
import { TimelinePage } from './view';

const host = acquireHost<FromTimelineWebview>();
const page = new TimelinePage(host);
onHostMessage<ToTimelineWebview>((m) => page.receive(m));
host.postMessage({ type: 'ready' });
