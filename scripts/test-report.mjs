// Names of the failed tests in a vitest JSON report, so `npm test`'s last lines say which tests failed
// (a CI log is often read from its tail only).

/** `file › test name: first line of the failure`, one per failed test. */
export function failedVitestTests(report, repo) {
  const names = [];
  for (const file of report?.testResults ?? []) {
    const rel = repo && file.name?.startsWith(repo) ? file.name.slice(repo.length + 1) : file.name;
    const failed = (file.assertionResults ?? []).filter((a) => a.status === 'failed');
    if (failed.length === 0 && file.status === 'failed') {
      names.push(`${rel}: ${firstLine(file.message)}`);
    }
    for (const a of failed) {
      names.push(`${rel} › ${a.fullName ?? a.title}: ${firstLine(a.failureMessages?.[0])}`);
    }
  }
  return names;
}

/** The `FAILED path::test - message` lines of pytest's short summary. */
export function failedPytestTests(stdout) {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('FAILED ') || l.startsWith('ERROR '))
    .map((l) => l.slice(0, 300));
}

function firstLine(text) {
  const line =
    String(text ?? '')
      .split('\n')
      .find((l) => l.trim() !== '') ?? '';
  return line.length > 240 ? `${line.slice(0, 240)}…` : line;
}
