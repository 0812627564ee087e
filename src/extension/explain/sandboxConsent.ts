// Where Tracefix cannot sandbox model-written code (no bubblewrap, not Linux), verifying a fix runs
// that code with the user's permissions. The editor asks once per workspace and remembers the answer
// in workspaceState; `tracefix.sandboxChoice` sets or forgets it (and answers a pending question).
import * as vscode from 'vscode';
import { probeSandbox } from '../../core/verify/sandbox';
import type { Notifier } from '../notify';

export const SANDBOX_CHOICE_KEY = 'tracefix.unsandboxedRuns';
export const RUN_UNSANDBOXED = 'Run Without Sandbox';
export const DONT_RUN = "Don't Run";

export type SandboxChoice = 'allow' | 'deny';

/** How the model's patches may run: in the sandbox, unsandboxed (allowed), or not at all. */
export type PatchRunPolicy = { sandbox: boolean; verify: boolean };

export class SandboxConsent implements vscode.Disposable {
  private pending: ((choice: SandboxChoice | undefined) => void) | undefined;

  constructor(
    private readonly state: vscode.Memento,
    private readonly notifier: Notifier,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get choice(): SandboxChoice | undefined {
    const v = this.state.get<string>(SANDBOX_CHOICE_KEY);
    return v === 'allow' || v === 'deny' ? v : undefined;
  }

  /** Remembers `choice` for this workspace (undefined: ask again next time) and answers a pending question. */
  async set(choice: SandboxChoice | undefined): Promise<void> {
    await this.state.update(SANDBOX_CHOICE_KEY, choice);
    this.pending?.(choice);
  }

  /** The policy for this run; asks the first time no sandbox is available. Cancelling waits no longer. */
  async policy(signal: AbortSignal): Promise<PatchRunPolicy> {
    const status = await probeSandbox(process.env);
    if (status.available) return { sandbox: true, verify: true };
    let choice = this.choice;
    if (!choice) {
      this.log.warn(`explain: no sandbox for model-written code: ${status.reason}`);
      choice = await this.ask(status.reason, signal);
      if (choice) await this.state.update(SANDBOX_CHOICE_KEY, choice);
    }
    this.log.info(
      `explain: no sandbox (${status.reason}); ${choice === 'allow' ? 'running patches unsandboxed as allowed for this workspace' : 'patches are not run (not verified)'}`,
    );
    return choice === 'allow' ? { sandbox: false, verify: true } : { sandbox: true, verify: false };
  }

  private ask(reason: string, signal: AbortSignal): Promise<SandboxChoice | undefined> {
    return new Promise((resolve) => {
      const done = (c: SandboxChoice | undefined) => {
        this.pending = undefined;
        signal.removeEventListener('abort', onAbort);
        resolve(c);
      };
      const onAbort = () => done(undefined);
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending = done;
      const message = `Tracefix cannot sandbox the code the model writes here (${reason}). Verifying a fix runs that code with your permissions: it could change or read any of your files. Run it without a sandbox in this workspace? (Don't Run: fixes are offered unverified.)`;
      void this.notifier.show('warning', message, RUN_UNSANDBOXED, DONT_RUN).then((item) => {
        // Dismissing the question answers nothing: this run does not run patches, the next run asks again.
        if (this.pending === done)
          done(item === RUN_UNSANDBOXED ? 'allow' : item === DONT_RUN ? 'deny' : undefined);
      });
    });
  }

  dispose(): void {
    this.pending?.(undefined);
  }
}
