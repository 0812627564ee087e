// Every `tracefix.*` setting, declared once: type, default (the core's constant), bounds and the text
// of the Settings UI. settings.ts reads them with these defaults and bounds; scripts/manifest.mjs
// writes package.json's `configuration` (and the settings Restricted Mode withholds) from here.
// Adding a setting is adding an entry here and reading it in settings.ts. Free of `vscode`.
import {
  DEFAULT_MAX_ROUNDS,
  DEFAULT_MAX_TOOL_CALLS,
  DEFAULT_PROMPT_BUDGET,
  MAX_TOOL_CALLS,
} from '../../core/fix';
import { DEFAULT_DEADLINE_MS, DEFAULT_MAX_TOKENS } from '../../core/model/client/openaiProvider';
import { DEFAULT_INLINE_WIDTH } from '../../core/render/decorations';
import { DEFAULT_LIMITS } from '../../core/trace/model';
import { DEFAULT_ENGINE, ENGINE_NAMES, type EngineName } from '../../core/trace/options';

export const SECTION = 'tracefix';

/** Where `tracefix.baseline` looks for the passing run Explain & Fix compares with. */
export const BASELINE_CHOICES = ['auto', 'none', 'git', 'last-pass', 'sibling'] as const;

/** Which model Explain & Fix asks: an OpenAI(-compatible) endpoint or a VS Code language model. */
export const MODEL_PROVIDERS = ['openai', 'vscode-lm'] as const;
export type ModelProviderSetting = (typeof MODEL_PROVIDERS)[number];

const ENGINE_HELP: Record<EngineName, string> = {
  fast: 'Fast: an in-process recorder started through debugpy; the program never stops.',
  step: 'Slow reference: stops on every line and reads the state over the Debug Adapter Protocol.',
};

type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

export interface SettingDecl {
  type: JsonType | readonly JsonType[];
  default: unknown;
  /** Withheld in Restricted Mode (it names what runs). */
  restricted?: boolean;
  scope?: 'machine' | 'machine-overridable' | 'resource';
  /** For an array setting: the JSON schema of its items. */
  items?: Record<string, unknown>;
  minimum?: number;
  maximum?: number;
  enum?: readonly string[];
  enumDescriptions?: readonly string[];
  markdownDescription: string;
  /** A renamed setting: still read, shown struck through with this text. */
  markdownDeprecationMessage?: string;
  /** For an object setting: the JSON schema of its properties. */
  properties?: Record<string, unknown>;
}

export const SETTINGS = {
  pythonPath: {
    restricted: true,
    type: 'string',
    default: '',
    scope: 'machine-overridable',
    markdownDescription:
      "Python interpreter to record with when the Python extension is not installed (its selected interpreter comes first). Empty: `python3` / `python` on `PATH`. debugpy comes from this interpreter, else from the Python Debugger extension's bundled copy. `~` and `${workspaceFolder}` are expanded.",
  },
  launch: {
    restricted: true,
    type: ['string', 'object', 'null'],
    default: null,
    scope: 'resource',
    markdownDescription:
      'What to trace instead of the test at the cursor / current file: the name of a Python (`debugpy`) configuration in `launch.json`, or an object such as `{ "pytest": "tests/test_calc.py::test_mean" }`, `{ "program": "app.py", "args": ["--n", "3"] }` or `{ "module": "pkg.cli" }` (optional `cwd`, `env`). A target chosen with **Tracefix: Choose Target…** takes precedence.',
    properties: {
      program: { type: 'string', description: 'Script to run (relative to the workspace folder).' },
      module: { type: 'string', description: 'Module to run with `python -m`.' },
      pytest: { type: 'string', description: 'pytest node id or test file.' },
      args: { type: 'array', items: { type: 'string' } },
      cwd: { type: 'string' },
      env: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
  maxEvents: {
    type: 'integer',
    default: DEFAULT_LIMITS.maxSteps,
    minimum: 1,
    markdownDescription:
      'Events (executed lines, calls, returns, exceptions) a recording keeps. A longer run keeps its first quarter and its last events (the failure is always there), counts what it leaves out per line, and runs to its end.',
  },
  maxSteps: {
    type: ['integer', 'null'],
    default: null,
    minimum: 1,
    markdownDescription: 'Old name of `#tracefix.maxEvents#`, read when that one is not set.',
    markdownDeprecationMessage: 'Renamed to `#tracefix.maxEvents#` (it counts events, not steps).',
  },
  timeoutSeconds: {
    type: 'number',
    default: DEFAULT_LIMITS.timeoutMs / 1000,
    minimum: 1,
    markdownDescription:
      "How long the program may run under recording, in seconds (start-up is not counted). Past it recording stops where the program is, the program goes on untraced for up to 10 s more to its own end (so pytest's outcome is still known), and the trace is partial and says so.",
  },
  reprLength: {
    type: 'integer',
    default: DEFAULT_LIMITS.reprLength,
    minimum: 8,
    markdownDescription:
      'Longest recorded value (characters of its `repr`). Longer values are cut.',
  },
  budget: {
    type: 'integer',
    default: DEFAULT_PROMPT_BUDGET,
    minimum: 500,
    markdownDescription:
      'Token budget of the whole prompt Explain & Fix sends the model (task, failure, code and execution trace), spent on the backward slice of the failure first.',
  },
  engine: {
    type: 'string',
    default: DEFAULT_ENGINE,
    enum: ENGINE_NAMES,
    enumDescriptions: ENGINE_NAMES.map((n) => ENGINE_HELP[n]),
    markdownDescription: 'How the recorder records: `fast` (the default) or the `step` reference.',
  },
  'inline.maxLength': {
    type: 'integer',
    default: DEFAULT_INLINE_WIDTH,
    minimum: 16,
    markdownDescription:
      'Longest inline summary after a line, in characters (full values are in the hover).',
  },
  'inline.dimNeverExecuted': {
    type: 'boolean',
    default: true,
    markdownDescription: 'Dim the lines of functions that ran but that never executed themselves.',
  },
  provider: {
    type: 'string',
    default: 'openai',
    enum: MODEL_PROVIDERS,
    enumDescriptions: [
      'OpenAI or any OpenAI-compatible server (`tracefix.baseUrl`: Ollama, vLLM, LM Studio, llama.cpp server). The key comes from **Tracefix: Set Model API Key** (secret storage); a local server needs none.',
      "A VS Code language model (`vscode.lm`, e.g. GitHub Copilot's models). No key.",
    ],
    markdownDescription: 'Which model Explain & Fix asks for a trace-grounded rationale and fix.',
  },
  model: {
    type: 'string',
    default: '',
    markdownDescription:
      'Model name. `openai`: e.g. `gpt-4o-mini` (the default when empty) or the name your local server uses (`llama3.1`). `vscode-lm`: a model id or family (e.g. `gpt-4o`); empty: the first model offered.',
  },
  baseUrl: {
    type: 'string',
    default: '',
    scope: 'machine-overridable',
    markdownDescription:
      'Base URL of an OpenAI-compatible API, e.g. `http://localhost:11434/v1` (Ollama). Empty: `https://api.openai.com/v1`. The API key is never read from settings: use **Tracefix: Set Model API Key**, which stores a key for this base URL only (a key is never sent to another endpoint).',
  },
  modelTimeoutSeconds: {
    type: 'number',
    default: DEFAULT_DEADLINE_MS / 1000,
    minimum: 10,
    markdownDescription:
      'Total time one model request may take, streaming and retries included. A server that keeps a stream open without finishing is stopped after this long.',
  },
  maxTokens: {
    type: 'integer',
    default: DEFAULT_MAX_TOKENS,
    minimum: 256,
    markdownDescription:
      'Longest answer asked of the model (`max_tokens`). An answer far beyond it (a server ignoring the limit) is cut off and not used.',
  },
  maxRounds: {
    type: 'integer',
    default: DEFAULT_MAX_ROUNDS,
    minimum: 1,
    maximum: 10,
    markdownDescription:
      'Model rounds at most: when a proposed fix fails verification, the patched program is traced and the model asked again with the new trace and failure.',
  },
  maxToolCalls: {
    type: 'integer',
    default: DEFAULT_MAX_TOOL_CALLS,
    minimum: 0,
    maximum: MAX_TOOL_CALLS,
    markdownDescription:
      'Calls per Explain & Fix round the model may make to query the whole recording with the trace tools (the history of a variable, the state at a step, the executions of a line, the call tree, the first step where a condition holds, a search of recorded values). Answers come from the recording, redacted and bounded; nothing is re-run. `0`: no tools (the NExT text alone). A model or server without tool support is asked without them, said once.',
  },
  'tools.allowProgramArguments': {
    type: 'boolean',
    default: false,
    markdownDescription:
      "Let the **Tracefix: Trace a Test or File** language-model tool pass the program arguments a chat model asks for to the script or module it records. Off: a call with arguments is refused (the model can still record the workspace's scripts, tests and modules as they are).",
  },
  baseline: {
    type: 'string',
    default: 'auto',
    enum: BASELINE_CHOICES,
    enumDescriptions: [
      'HEAD when the code that ran has uncommitted or staged changes, else another parametrization of the failing test that passes; nothing when neither applies.',
      'Do not compare with a passing run.',
      'The same test at HEAD, run in a temporary export of that commit (your working tree, index and stash are not touched).',
      'The newest commit where the test passes, found by running it at earlier commits (1, 2, 4… back, then a bisection).',
      'A passing sibling test: another parametrization, or a passing test that calls the same function.',
    ],
    markdownDescription:
      'The passing run Explain & Fix compares the failing run with. The prompt then says where the two runs first part (both values, both call paths, the lines changed between them), the model gets the `compare_runs` tool, and the timeline and the editor show the two runs aligned. Recording the passing run runs your own code (at another commit, or another test), never model-written code. **Tracefix: Compare with…** compares any recording on demand.',
  },
  allowTestEdits: {
    type: 'boolean',
    default: false,
    markdownDescription:
      'Verify and offer fixes that change test code (the failing test\'s file, `conftest.py`, `test_*.py`, `*_test.py`, anything under `tests/`). Off: such a fix is shown as "changes the tests" and is neither verified nor offered, since editing a test can make it pass without fixing anything.',
  },
  'verify.env': {
    type: 'array',
    items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*(=.*)?$' },
    default: [],
    scope: 'machine',
    markdownDescription:
      "Environment variables given to model-written code when Explain & Fix verifies a patch or traces a failed one: `NAME` passes its value from VS Code's environment, `NAME=VALUE` sets it. Those runs get only `PATH`, the locale, `TZ` and the interpreter's `PYTHON*` settings otherwise (HOME and the temp folder point into the temporary copy) — no API key, cloud credential or token. The model's own key (`OPENAI_API_KEY`, `TRACEFIX_API_KEY`) is never passed. A user setting only: a workspace cannot widen it.",
  },
} as const satisfies Record<string, SettingDecl>;

export type SettingName = keyof typeof SETTINGS;

/** Setting (without the `tracefix.` prefix) → its default. */
export const SETTING_DEFAULTS = Object.fromEntries(
  Object.entries(SETTINGS).map(([k, s]) => [k, s.default]),
) as { readonly [K in SettingName]: (typeof SETTINGS)[K]['default'] };

/** `contributes.configuration`, and the settings Restricted Mode withholds. */
export function settingContributions(): {
  configuration: Record<string, unknown>;
  restricted: string[];
} {
  const properties: Record<string, unknown> = {};
  const restricted: string[] = [];
  for (const [name, decl] of Object.entries(SETTINGS) as [string, SettingDecl][]) {
    const { restricted: isRestricted, ...schema } = decl;
    properties[`${SECTION}.${name}`] = schema;
    if (isRestricted) restricted.push(`${SECTION}.${name}`);
  }
  return { configuration: { title: 'Tracefix', properties }, restricted };
}
