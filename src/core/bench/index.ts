// Public surface of `tracefix bench` (CLI and the full-run script).
export { runBench, BENCH_DEFAULTS, notesFor, type BenchOptions } from './runBench';
export {
  loadDataset,
  loadHumanEvalFix,
  loadHumanEvalFixPlus,
  loadMbpp,
  defaultDataDir,
  DATA_FILES,
} from './datasets';
export {
  createOracleProvider,
  oracleAnswer,
  formatFor,
  lastTraceStep,
  ANSWER_FORMATS,
  ORACLE_LABEL,
  ORACLE_MODEL,
  type AnswerFormat,
} from './oracle';
export { runTask, materializeTask, type TaskRunOptions } from './runTask';
export { summarize, summarizeArm, percentile, stat } from './summary';
export { BenchProgress, progressBar, progressLine, summaryTable } from './format';
export * from './types';
