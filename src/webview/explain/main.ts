// Entry of the Explanation webview's script (bundled to dist/webview/explain.js).
import type {
  FromExplanationWebview,
  ToExplanationWebview,
} from '../../extension/explain/protocol';
import { acquireHost, onHostMessage } from '../shared/host';
import { ExplanationPage } from './view';

const host = acquireHost<FromExplanationWebview>();
const page = new ExplanationPage(host);
onHostMessage<ToExplanationWebview>((m) => page.receive(m));
host.postMessage({ type: 'ready' });
