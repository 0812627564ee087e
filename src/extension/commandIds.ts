// Every command, view, colour and context key of the extension, by name. package.json contributes the same ids
// (a unit test keeps them equal); commands.ts gives each one its handler. Free of `vscode`.
import type { HoverCommands } from '../core/render/hover';

export const COMMANDS = {
  explainAndFix: 'tracefix.explainAndFix',
  traceOnly: 'tracefix.traceOnly',
  rerun: 'tracefix.rerun',
  clearTrace: 'tracefix.clearTrace',
  chooseTarget: 'tracefix.chooseTarget',
  showTimeline: 'tracefix.showTimeline',
  setApiKey: 'tracefix.setApiKey',
  showLog: 'tracefix.showLog',
  goToCaller: 'tracefix.goToCaller',
  replayTrace: 'tracefix.replayTrace',
  saveTrace: 'tracefix.saveTrace',
  replayFromStep: 'tracefix.replayFromStep',
  applyFix: 'tracefix.applyFix',
  previewFix: 'tracefix.previewFix',
  undoFix: 'tracefix.undoFix',
  showExplanation: 'tracefix.showExplanation',
  showPrompt: 'tracefix.showPrompt',
  sandboxChoice: 'tracefix.sandboxChoice',
  compareWith: 'tracefix.compareWith',
  stopComparing: 'tracefix.stopComparing',
  why: 'tracefix.why',
  clearWhy: 'tracefix.clearWhy',
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandId = (typeof COMMANDS)[CommandName];

/** The webview views package.json contributes. */
export const VIEWS = {
  timeline: 'tracefix.timeline',
  explanation: 'tracefix.explanation',
} as const;

/** Theme colours package.json contributes (the inline values, the exception and the current step). */
export const COLORS = {
  trace: 'tracefix.traceForeground',
  exception: 'tracefix.exceptionForeground',
  exceptionBackground: 'tracefix.exceptionBackground',
  stale: 'tracefix.staleForeground',
  currentStep: 'tracefix.currentStepBackground',
  compare: 'tracefix.divergenceBorder',
  why: 'tracefix.whyBackground',
} as const;

/** `setContext` keys the `when` clauses of package.json test. */
export const CONTEXT_KEYS = {
  /** A recording is on screen. */
  hasTrace: 'tracefix.hasTrace',
  /** A recording is in progress. */
  running: 'tracefix.running',
  /** An Explain & Fix run exists (its view, prompt and fixes). */
  hasExplanation: 'tracefix.hasExplanation',
  /** The recording on screen is compared with a passing run. */
  comparing: 'tracefix.comparing',
  /** A why-chain is highlighted in the timeline and the code. */
  hasWhy: 'tracefix.hasWhy',
} as const;

/** The command links of a hover, trusted by the hover provider and nothing else. */
export const HOVER_COMMANDS: HoverCommands = {
  timeline: COMMANDS.showTimeline,
  caller: COMMANDS.goToCaller,
  replay: COMMANDS.replayFromStep,
  why: COMMANDS.why,
};
