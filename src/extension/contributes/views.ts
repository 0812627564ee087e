// The views, view containers, theme colours and context keys Tracefix contributes, declared once:
// the extension uses the ids, and scripts/manifest.mjs writes package.json's `contributes` from the
// declarations (contributes/index.ts). Free of `vscode`.

/** The webview views (their providers: timeline/timelineView.ts, explain/explanationView.ts). */
export const VIEWS = {
  timeline: 'tracefix.timeline',
  explanation: 'tracefix.explanation',
} as const;

/** `setContext` keys the `when` clauses of the menus test. */
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

interface ColorDecl {
  id: string;
  description: string;
  defaults: { dark: string; light: string; highContrast: string; highContrastLight: string };
}

/** Theme colours of the inline values, the exception and the current step (editor/decorations.ts). */
export const COLOR_DECLS = {
  trace: {
    id: 'tracefix.traceForeground',
    description: 'Inline recorded values after a traced line.',
    defaults: {
      dark: '#9DA5B4B3',
      light: '#5F6B7AB3',
      highContrast: '#D0D0D0',
      highContrastLight: '#404040',
    },
  },
  exception: {
    id: 'tracefix.exceptionForeground',
    description: 'Inline text on the line where the recorded exception surfaced.',
    defaults: {
      dark: '#F48771',
      light: '#C72E0F',
      highContrast: '#F48771',
      highContrastLight: '#B5200D',
    },
  },
  exceptionBackground: {
    id: 'tracefix.exceptionBackground',
    description: 'Background of the line where the recorded exception surfaced.',
    defaults: {
      dark: '#F4877122',
      light: '#E5140014',
      highContrast: '#F4877133',
      highContrastLight: '#B5200D22',
    },
  },
  stale: {
    id: 'tracefix.staleForeground',
    description: 'Inline recorded values once the file was edited after recording.',
    defaults: {
      dark: '#9DA5B460',
      light: '#5F6B7A60',
      highContrast: '#A0A0A0',
      highContrastLight: '#707070',
    },
  },
  currentStep: {
    id: 'tracefix.currentStepBackground',
    description: 'Line of the step selected in the Tracefix timeline.',
    defaults: {
      dark: '#FFD70033',
      light: '#FFD70055',
      highContrast: '#FFD70044',
      highContrastLight: '#FFD70066',
    },
  },
  compare: {
    id: 'tracefix.divergenceBorder',
    description:
      "The bar (and overview ruler mark) on a line where the recording on screen parts from the passing run it is compared with; the passing run's values follow the line's own after `≠`.",
    defaults: {
      dark: '#E2C08D',
      light: '#895503',
      highContrast: '#E2C08D',
      highContrastLight: '#895503',
    },
  },
  why: {
    id: 'tracefix.whyBackground',
    description: 'Lines of the steps that made a value (Tracefix: Why This Value?).',
    defaults: {
      dark: '#4FC1FF26',
      light: '#007ACC1F',
      highContrast: '#4FC1FF33',
      highContrastLight: '#007ACC33',
    },
  },
} as const satisfies Record<string, ColorDecl>;

export const COLORS = Object.fromEntries(
  Object.entries(COLOR_DECLS).map(([k, c]) => [k, c.id]),
) as { [K in keyof typeof COLOR_DECLS]: (typeof COLOR_DECLS)[K]['id'] };

const ICON = 'media/tracefix-activity.svg';

/** Where the views live: the explanation beside the code (side bar), the timeline in the panel. */
export function viewContributions(): Record<string, unknown> {
  return {
    viewsContainers: {
      activitybar: [{ id: 'tracefix', title: 'Tracefix', icon: ICON }],
      panel: [{ id: 'tracefix-panel', title: 'Tracefix', icon: ICON }],
    },
    views: {
      tracefix: [
        {
          type: 'webview',
          id: VIEWS.explanation,
          name: 'Explanation',
          contextualTitle: 'Tracefix',
          icon: ICON,
        },
      ],
      'tracefix-panel': [
        {
          type: 'webview',
          id: VIEWS.timeline,
          name: 'Timeline',
          contextualTitle: 'Tracefix',
          icon: ICON,
        },
      ],
    },
  };
}

export function colorContributions(): ColorDecl[] {
  return Object.values(COLOR_DECLS);
}
