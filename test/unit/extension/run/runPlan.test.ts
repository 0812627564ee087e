// src/extension/run/runPlan.ts is editor-free on purpose; this mirrors it (no other test owns test/unit/extension).
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../../src/core/errors';
import {
  planForFile,
  planFromLaunchConfig,
  planFromSetting,
  pytestNodeId,
  splitArgs,
  substitute,
  type VariableContext,
} from '../../../../src/extension/run/runPlan';

const ctx: VariableContext = {
  workspaceFolder: '/ws',
  file: '/ws/pkg/app.py',
  env: { NAME: 'v' },
  userHome: '/home/u',
};

describe('substitute', () => {
  it('replaces the usual launch variables', () => {
    expect(substitute('${workspaceFolder}/x', ctx)).toBe('/ws/x');
    expect(
      substitute(
        '${file}|${fileDirname}|${fileBasename}|${fileBasenameNoExtension}|${relativeFile}',
        ctx,
      ),
    ).toBe('/ws/pkg/app.py|/ws/pkg|app.py|app|pkg/app.py');
    expect(substitute('${env:NAME}-${env:MISSING}', ctx)).toBe('v-');
  });

  it('refuses variables it cannot know, and ${file} without a file', () => {
    expect(() => substitute('${command:pickProcess}', ctx)).toThrow(UserError);
    expect(() => substitute('${file}', { ...ctx, file: undefined })).toThrow(/needs an open file/);
  });
});

describe('splitArgs', () => {
  it('splits on spaces and honours quotes', () => {
    expect(splitArgs(`a "b c" 'd e' f\\ g "h\\"i"`)).toEqual([
      'a',
      'b c',
      'd e',
      'f\\',
      'g',
      'h"i',
    ]);
  });
});

describe('planForFile', () => {
  it('runs a test file under pytest, at the test when one is given', () => {
    expect(planForFile('/ws/tests/test_calc.py', '/ws', 'TestX::test_y')).toMatchObject({
      target: { kind: 'pytest', nodeId: 'tests/test_calc.py::TestX::test_y' },
      cwd: '/ws',
      root: '/ws',
      origin: 'test-at-cursor',
    });
    expect(planForFile('/ws/calc_test.py', '/ws').target).toEqual({
      kind: 'pytest',
      nodeId: 'calc_test.py',
    });
  });

  it('runs any other file as a script', () => {
    expect(planForFile('/ws/pkg/app.py', '/ws')).toMatchObject({
      target: { kind: 'script', path: 'pkg/app.py' },
      label: 'pkg/app.py',
      origin: 'file',
    });
    // Outside the folder: the absolute path.
    expect(planForFile('/elsewhere/app.py', '/ws').target).toEqual({
      kind: 'script',
      path: '/elsewhere/app.py',
    });
  });

  it('writes node ids relative to cwd with forward slashes', () => {
    expect(pytestNodeId('/ws', '/ws/a/test_b.py', 'test_c')).toBe('a/test_b.py::test_c');
  });
});

describe('planFromLaunchConfig', () => {
  it('reads program, args, cwd, env and python with variables substituted', () => {
    const plan = planFromLaunchConfig(
      {
        name: 'Run app',
        type: 'debugpy',
        request: 'launch',
        program: '${file}',
        args: ['--n', '${env:NAME}'],
        cwd: '${workspaceFolder}/pkg',
        env: { A: '${userHome}' },
        python: '/py/bin/python',
      },
      ctx,
    );
    expect(plan).toEqual({
      target: { kind: 'script', path: '/ws/pkg/app.py' },
      args: ['--n', 'v'],
      cwd: '/ws/pkg',
      root: '/ws',
      env: { A: '/home/u' },
      python: '/py/bin/python',
      label: 'Run app',
      origin: 'launch',
    });
  });

  it('turns `-m pytest <node>` into a pytest target and keeps the other arguments', () => {
    const plan = planFromLaunchConfig(
      {
        name: 'T',
        type: 'python',
        request: 'launch',
        module: 'pytest',
        args: '-x tests/test_a.py::test_b -vv',
      },
      ctx,
    );
    expect(plan.target).toEqual({ kind: 'pytest', nodeId: 'tests/test_a.py::test_b' });
    expect(plan.args).toEqual(['-x', '-vv']);
  });

  it('runs other modules as modules and rejects configurations with nothing to run', () => {
    expect(planFromLaunchConfig({ name: 'M', module: 'pkg.main', args: [] }, ctx).target).toEqual({
      kind: 'module',
      module: 'pkg.main',
    });
    expect(() => planFromLaunchConfig({ name: 'E' }, ctx)).toThrow(
      /neither a program nor a module/,
    );
    expect(() => planFromLaunchConfig({ name: 'P', module: 'pytest', args: ['-q'] }, ctx)).toThrow(
      /without a test path/,
    );
  });
});

describe('planFromSetting', () => {
  it('accepts program, module or pytest', () => {
    expect(planFromSetting({ pytest: 'tests/test_a.py::test_b', args: ['-x'] }, ctx)).toMatchObject(
      {
        target: { kind: 'pytest', nodeId: 'tests/test_a.py::test_b' },
        args: ['-x'],
        origin: 'setting',
      },
    );
    expect(planFromSetting({ program: 'main.py' }, ctx).target).toEqual({
      kind: 'script',
      path: '/ws/main.py',
    });
    expect(planFromSetting({ module: 'pkg' }, ctx).label).toBe('-m pkg');
  });
});
