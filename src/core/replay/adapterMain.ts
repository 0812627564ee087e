// Stand-alone replay adapter over stdio (bundled to dist/replayAdapter.js); `--server=PORT` serves
// sessions over TCP instead, which is handy when debugging the adapter itself.
import { DebugSession } from '@vscode/debugadapter';
import { ReplaySession } from './replaySession';

DebugSession.run(ReplaySession);
