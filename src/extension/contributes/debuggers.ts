// The replay debugger (debug type `tracefix-replay`, adapter in core/replay, launched by replay.ts):
// its launch attributes for launch.json, the snippet and the initial configuration. Free of `vscode`.
import { REPLAY_DEBUG_TYPE } from '../../core/replay/replayProtocol';

export function debuggerContributions(): Record<string, unknown>[] {
  return [
    {
      type: REPLAY_DEBUG_TYPE,
      label: 'Tracefix Replay',
      languages: ['python'],
      configurationAttributes: {
        launch: {
          properties: {
            trace: {
              type: 'string',
              description:
                'Path of a saved trace JSON (Tracefix: Save Trace…, or `tracefix trace --format json > run.json`). Relative paths and `${workspaceFolder}` resolve against the workspace folder.',
            },
            stopOnEntry: {
              type: 'boolean',
              default: true,
              description: 'Stop on the first recorded event.',
            },
            sourceRoot: {
              type: 'string',
              description:
                "Where the recorded files are now (default: the recording's root). Files that are missing or changed there are shown from the copy saved in the trace.",
            },
          },
          required: ['trace'],
        },
      },
      configurationSnippets: [
        {
          label: 'Tracefix: Replay a saved trace',
          description: 'Step through a recorded trace, forwards and backwards',
          body: {
            type: REPLAY_DEBUG_TYPE,
            request: 'launch',
            name: 'Replay trace',
            trace: '^"\\${workspaceFolder}/trace.json"',
          },
        },
      ],
      initialConfigurations: [
        {
          type: REPLAY_DEBUG_TYPE,
          request: 'launch',
          name: 'Replay trace',
          trace: '${workspaceFolder}/trace.json',
        },
      ],
    },
  ];
}

/** VS Code activates the extension to resolve a replay configuration. */
export const DEBUGGER_ACTIVATION = `onDebugResolve:${REPLAY_DEBUG_TYPE}`;
