// What the Explanation view (explanationView.ts) and its webview (src/webview/explain) say to each
// other: the view model the host builds (viewModel.ts) as plain data, the Markdown tree of each
// rationale (never HTML: the webview builds DOM nodes with textContent), and the actions the webview
// posts back. Types only, free of `vscode` and of Node, so both sides compile against the same file.

/** Inline Markdown: text, code spans, emphasis, links (opened through VS Code) and step links. */
export type Inline =
  | string
  | { t: 'code'; text: string }
  | { t: 'b' | 'i' | 's'; c: Inline[] }
  | { t: 'link'; href: string; c: Inline[] }
  | { t: 'step'; step: number; rec: number; text: string; title: string };

export interface ListItem {
  /** The item's first paragraph. */
  c: Inline[];
  /** What follows it inside the item (a nested list, code, another paragraph). */
  blocks?: Block[];
}

export type Block =
  | { t: 'p'; c: Inline[] }
  | { t: 'h'; level: number; c: Inline[] }
  | { t: 'ul' | 'ol'; start?: number; items: ListItem[] }
  | { t: 'quote'; c: Block[] }
  | { t: 'code'; lang: string; text: string }
  | { t: 'table'; head: Inline[][]; rows: Inline[][][] }
  | { t: 'hr' }
  | { t: 'summary'; c: Inline[] };

export type RoundStateName = 'running' | 'verified' | 'unverified' | 'tests' | 'no-patch';
export type ActionType = 'apply' | 'preview' | 'prompt' | 'undo' | 'rerun' | 'cancel-confirm';

export interface ViewAction {
  type: ActionType;
  round: number;
  label: string;
  primary?: boolean;
  /** For 'apply' of an unverified round: the user confirmed in the view. */
  confirmed?: boolean;
  title?: string;
}

/** A trace tool call the model made: the tool, its arguments, the answer line by line, steps linked. */
export interface ToolCallView {
  name: string;
  /** `name="total", function="average"` (the model's JSON when it is not an object). */
  args: string;
  /** The answer, one entry per line, steps linked. */
  lines: Inline[][];
  error: boolean;
  truncated: boolean;
  /** What the model wrote before calling, if anything. */
  said: string;
}

export interface RoundView {
  index: number;
  phase: string;
  /** The Markdown source shown (streamed text, then the final form). */
  rationale: string;
  summary: string;
  diff: string;
  hasPatch: boolean;
  verified: boolean | null;
  verdict: string;
  notes: string[];
  state: RoundStateName;
  blocks: Block[];
  /** A reasoning model is still thinking (its `<think>` text is not shown). */
  thinking: boolean;
  /** Which run(s) the round read, e.g. "the run with round 1's fix". */
  read: string | null;
  applied: boolean;
  /** The question shown before applying an unverified fix, when the user pressed Apply. */
  confirm: string | null;
  actions: ViewAction[];
  /** Shown folded (an earlier failed attempt once a later round is the answer). */
  collapsed: boolean;
  /** The trace tool calls the model made in this round, with their answers. */
  toolCalls: ToolCallView[];
}

export type BannerKind = 'running' | 'ok' | 'warn' | 'error' | 'info';

export interface Banner {
  kind: BannerKind;
  title: string;
  detail: string;
  actions: ViewAction[];
}

export interface PanelView {
  session: number;
  title: string;
  status: string;
  statusText: string;
  maxStep: number;
  offered: number | null;
  error: string | null;
  rounds: RoundView[];
  banner: Banner;
  /** The round the view scrolls to (the verified one when there is one). */
  focusRound: number | null;
}

/** What a click in the view asks for. */
export type PanelAction =
  | { type: 'step'; step: number; rec?: number }
  | { type: ActionType; round: number; confirmed?: boolean }
  | { type: 'open'; href: string };

/** What the webview rendered of a round: read back only when the extension runs under its tests. */
export interface RenderedRound {
  index: number;
  /** The rationale's text as displayed (Markdown rendered). */
  text: string;
  /** Step numbers of the links, in order, and the recording each opens. */
  links: number[];
  linkTargets: { step: number; rec: number }[];
  verdict: string;
  /** The round was still streaming when rendered. */
  streaming: boolean;
  /** Labels of its buttons. */
  buttons: string[];
  confirm: string;
  collapsed: boolean;
  /** Elements of Markdown it rendered (e.g. 'code', 'strong', 'li'), for checks that Markdown is rendered. */
  tags: string[];
  /** The trace tool calls shown: `name(args)`, the answer's text and its step links. */
  toolCalls: { name: string; text: string; links: number[]; error: boolean }[];
}

export interface RenderedView {
  session: number;
  banner: { kind: string; title: string; detail: string; buttons: string[] };
  rounds: RenderedRound[];
  /** Rounds whose heading is on screen (below the banner). */
  inView: number[];
}

export type ToExplanationWebview = {
  type: 'view';
  view: PanelView;
  /** Say what was rendered (the extension runs under its tests; never for users). */
  report: boolean;
};

export type FromExplanationWebview =
  { type: 'ready' } | ({ type: 'rendered' } & RenderedView) | PanelAction;
