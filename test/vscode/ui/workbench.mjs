// Playwright helpers for driving the code-server 4.100.3 workbench (VS Code 1.100.3) in the UI
// smoke phase. Selectors are Monaco's and change between VS Code versions: the version is pinned in
// scripts/vscode-test/install-code-server.sh for that reason.
/* global document, getComputedStyle, NodeFilter -- used inside page.evaluate(), i.e. in the browser */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const QUICK_INPUT = '.quick-input-widget';
const ACTIVE_EDITOR = '.editor-group-container.active .editor-instance .monaco-editor';
const HOVER = '.monaco-hover:not(.hidden)';
const ACTION_ROWS = '.action-widget .monaco-list-row.action';

/** Monaco renders spaces as U+00A0; compare text with this. */
export const normalizeText = (s) => s.replace(/\u00a0/g, ' ');

export class Workbench {
  /**
   * @param {import('playwright-core').Page} page
   * @param {{ workspace: string, outputDir: string, prefix: string, log?: (m: string) => void }} options
   */
  constructor(page, { workspace, outputDir, prefix, log = () => {} }) {
    this.page = page;
    /** Absolute path of this run's workspace copy (the server and the browser share the machine). */
    this.workspace = workspace;
    this.outputDir = outputDir;
    this.prefix = prefix;
    this.log = log;
  }

  /** Loads the workbench and waits until the explorer shows the workspace folder. */
  async open(url) {
    await this.page.goto(url);
    await this.page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    await this.page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 90_000 });
  }

  /** Screenshot into test-output/vscode-ui/<prefix>-<name>.png; returns the path. */
  async screenshot(name) {
    mkdirSync(this.outputDir, { recursive: true });
    const path = join(this.outputDir, `${this.prefix}-${name.replace(/[^\w.-]+/g, '_')}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  async #quickInput(key) {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press(key);
    const input = this.page.locator(`${QUICK_INPUT} .quick-input-box input`);
    await input.waitFor({ state: 'visible' });
    return input;
  }

  /**
   * Runs a command by its palette label (e.g. "Tracefix: Record Trace") via F1. Waits until the
   * label is the focused row, so a missing command fails here instead of running something else.
   */
  async runCommand(label) {
    const input = await this.#quickInput('F1');
    await input.fill(`>${label}`);
    const row = this.page.locator(`${QUICK_INPUT} .monaco-list-row.focused`, { hasText: label });
    await row.first().waitFor({ state: 'visible', timeout: 15_000 });
    await this.page.keyboard.press('Enter');
    // The palette closes — or, for a command that asks something at once (a quick pick, an input
    // box), the same widget shows that question instead: either way the command ran.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const widget = this.page.locator(QUICK_INPUT);
      if (!(await widget.isVisible())) return;
      const value = await input.inputValue().catch(() => '');
      if (!value.startsWith('>')) return;
      if (Date.now() > deadline) throw new Error(`the palette did not run "${label}"`);
      await this.page.waitForTimeout(100);
    }
  }

  /** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor tab. */
  async quickOpen(relativePath) {
    const input = await this.#quickInput('Control+P');
    await input.fill(relativePath);
    const name = relativePath.split('/').pop();
    const row = this.page.locator(`${QUICK_INPUT} .monaco-list-row.focused`, { hasText: name });
    await row.first().waitFor({ state: 'visible', timeout: 15_000 });
    await this.page.keyboard.press('Enter');
    await this.waitForEditor(name);
  }

  /** Waits for the active editor tab to be `fileName` and its text to be rendered. */
  async waitForEditor(fileName, { timeout = 30_000 } = {}) {
    await this.page
      .locator('.editor-group-container.active .tab.active', { hasText: fileName })
      .waitFor({ state: 'visible', timeout });
    await this.page.locator(`${ACTIVE_EDITOR} .view-lines .view-line`).first().waitFor({ timeout });
  }

  /** Text of the lines currently rendered in the active editor (only the visible viewport). */
  async editorText() {
    const lines = await this.#renderedLines();
    return lines.map((l) => l.text).join('\n');
  }

  /**
   * Rendered lines of the active editor as { lineNumber, text, after: string[] }, where `after`
   * holds the `::after` CSS content of the line's decorations (how VS Code paints
   * `renderOptions.after.contentText`). Line numbers come from the gutter, matched by `top`.
   */
  async #renderedLines() {
    return this.page
      .locator(ACTIVE_EDITOR)
      .first()
      .evaluate((editor) => {
        const unquote = (c) =>
          c && c !== 'none' && c !== 'normal' ? c.replace(/^"|"$/g, '').replace(/\\"/g, '"') : null;
        const numbers = new Map();
        for (const n of editor.querySelectorAll('.margin-view-overlays .line-numbers')) {
          const top = n.parentElement?.style.top ?? n.style.top;
          numbers.set(top, Number(n.textContent?.trim()));
        }
        const lines = [...editor.querySelectorAll('.view-lines .view-line')].map((line) => {
          const after = [];
          for (const span of line.querySelectorAll('span')) {
            const content = unquote(getComputedStyle(span, '::after').content);
            if (content) after.push(content);
          }
          return {
            lineNumber: numbers.get(line.style.top) ?? -1,
            top: parseFloat(line.style.top),
            text: (line.textContent ?? '').replace(/\u00a0/g, ' '),
            after,
          };
        });
        return lines
          .sort((a, b) => a.top - b.top)
          .map(({ lineNumber, text, after }) => ({ lineNumber, text, after }));
      });
  }

  async #line(lineNumber) {
    const line = (await this.#renderedLines()).find((l) => l.lineNumber === lineNumber);
    if (!line) throw new Error(`line ${lineNumber} is not rendered in the active editor`);
    return line;
  }

  /** `::after` decoration texts of a 1-based line (empty when undecorated). */
  async afterText(lineNumber) {
    return (await this.#line(lineNumber)).after;
  }

  /** Polls until line `lineNumber` carries an `::after` text matching `pattern`; returns the texts. */
  async waitForAfterText(lineNumber, pattern, { timeout = 30_000 } = {}) {
    const deadline = Date.now() + timeout;
    let last = [];
    while (Date.now() < deadline) {
      last = await this.#line(lineNumber).then(
        (l) => l.after,
        () => [],
      );
      if (last.some((t) => pattern.test(t))) return last;
      await this.page.waitForTimeout(250);
    }
    throw new Error(
      `line ${lineNumber}: no ::after text matching ${pattern} (got ${JSON.stringify(last)})`,
    );
  }

  /** Puts the cursor on a line with Ctrl+G (clicking can land on decorations or overlays). */
  async goToLine(lineNumber, column = 1) {
    const input = await this.#quickInput('Control+G');
    await input.fill(`:${lineNumber}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
  }

  /**
   * Moves the mouse over the text of a line (at `column`, default the first non-blank character)
   * and returns the text of the hover that appears.
   */
  async hoverLine(lineNumber, { column } = {}) {
    const { text } = await this.#line(lineNumber);
    const col = column ?? text.search(/\S/) + 1;
    const box = await this.#charBox(lineNumber, col);
    await this.page.mouse.move(1, 1);
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    const hover = this.page.locator(HOVER).last();
    await hover.waitFor({ state: 'visible', timeout: 15_000 });
    return normalizeText(await hover.innerText());
  }

  /** Screen box of the character at a 1-based line/column, from the rendered spans. */
  async #charBox(lineNumber, column) {
    const lines = await this.#renderedLines();
    const index = lines.findIndex((l) => l.lineNumber === lineNumber);
    if (index < 0) throw new Error(`line ${lineNumber} is not rendered`);
    const box = await this.page
      .locator(`${ACTIVE_EDITOR} .view-lines`)
      .first()
      .evaluate(
        (viewLines, { index, column }) => {
          const sorted = [...viewLines.querySelectorAll('.view-line')].sort(
            (a, b) => parseFloat(a.style.top) - parseFloat(b.style.top),
          );
          const line = sorted[index];
          const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
          let offset = column - 1;
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const len = node.textContent?.length ?? 0;
            if (offset < len) {
              const range = document.createRange();
              range.setStart(node, offset);
              range.setEnd(node, offset + 1);
              const r = range.getBoundingClientRect();
              return { x: r.x, y: r.y, width: r.width, height: r.height };
            }
            offset -= len;
          }
          const r = line.getBoundingClientRect();
          return { x: r.x + 2, y: r.y, width: 4, height: r.height };
        },
        { index, column },
      );
    return box;
  }

  /**
   * Opens the quick-fix menu (Ctrl+.) at a line and returns its action labels. With `choose`
   * (string or RegExp) it applies that action with the keyboard: a click is intercepted by the
   * widget's overlay.
   */
  async quickFix(lineNumber, { column = 1, choose } = {}) {
    await this.goToLine(lineNumber, column);
    await this.page.keyboard.press('Control+.');
    const rows = this.page.locator(ACTION_ROWS);
    await rows.first().waitFor({ state: 'visible', timeout: 15_000 });
    const labels = (await rows.allInnerTexts()).map((t) => normalizeText(t).trim());
    if (choose === undefined) {
      await this.page.keyboard.press('Escape');
      return labels;
    }
    const index = labels.findIndex((l) =>
      typeof choose === 'string' ? l.includes(choose) : choose.test(l),
    );
    if (index < 0) {
      await this.page.keyboard.press('Escape');
      throw new Error(`no quick fix matching ${choose} in ${JSON.stringify(labels)}`);
    }
    // The first action is focused when the menu opens.
    for (let i = 0; i < index; i++) await this.page.keyboard.press('ArrowDown');
    await this.page.keyboard.press('Enter');
    await rows.first().waitFor({ state: 'hidden' });
    return labels;
  }

  /**
   * The frame of the webview (a view or an editor panel) whose document has `selector`: webviews
   * sit in nested iframes, and several may be open at once (the timeline, the explanation).
   */
  async webviewFrame(selector, { timeout = 30_000 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      for (const f of this.page.frames()) {
        if (f === this.page.mainFrame()) continue;
        if (await f.$(selector).catch(() => null)) return f;
      }
      if (Date.now() > deadline) throw new Error(`no webview shows ${selector}`);
      await this.page.waitForTimeout(200);
    }
  }

  /**
   * Layout of the active editor: its width, and for a 1-based line the right edge of each span that
   * carries decoration text (an inline `::after` is part of its span's box) against the visible
   * right edge of the text area.
   */
  async editorLayout(lineNumber) {
    return this.page
      .locator(ACTIVE_EDITOR)
      .first()
      .evaluate((editor, lineNumber) => {
        const numbers = new Map();
        for (const n of editor.querySelectorAll('.margin-view-overlays .line-numbers'))
          numbers.set(n.parentElement?.style.top ?? n.style.top, Number(n.textContent?.trim()));
        const line = [...editor.querySelectorAll('.view-lines .view-line')].find(
          (l) => numbers.get(l.style.top) === lineNumber,
        );
        const visible =
          editor.querySelector('.lines-content')?.parentElement?.getBoundingClientRect() ??
          editor.getBoundingClientRect();
        const decorated = line
          ? [...line.querySelectorAll('span')].filter((s) => {
              const c = getComputedStyle(s, '::after').content;
              return c && c !== 'none' && c !== 'normal';
            })
          : [];
        return {
          width: editor.getBoundingClientRect().width,
          visibleRight: visible.right,
          afterRights: decorated.map((s) => s.getBoundingClientRect().right),
        };
      }, lineNumber);
  }

  /** Texts of the visible notification toasts. */
  async notifications() {
    return this.page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
  }
}
