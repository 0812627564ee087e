// The patched average.py of each containment attack: what the attack tries, one tagged line per
// outcome, then the fixed program (so a run that was not stopped passes).
const FIXED = `
def average(xs):
    total = 0
    for x in xs:
        total += x
    return total / len(xs)


if __name__ == "__main__":
    result = average([2, 4, 6])
    assert result == 4, f"expected 4, got {result}"
    print("ok")
`;

const HEAD = `
import os, subprocess, sys, time

def attempt(tag, fn):
    try:
        fn()
        print(tag, "OK", flush=True)
    except Exception as e:
        print(tag, "DENIED", getattr(e, "strerror", None) or type(e).__name__, flush=True)

def run(tag, argv):
    try:
        r = subprocess.run(argv, capture_output=True, timeout=20)
        print(tag, "SUCCEEDED" if r.returncode == 0 else "FAILED", r.returncode, flush=True)
    except OSError as e:
        print(tag, "FAILED", e.strerror, flush=True)
`;

/** The description of the key the keyring wrapper plants. */
const KEYRING_KEY = 'tfx-containment-key';
/** add_key and keyctl per machine (the filter knows more; these are the machines CI could be). */
const KEYRING_NRS = '{"x86_64": (248, 250), "aarch64": (217, 219)}';

export const probes = {
  privileges: (marker: string) => `${HEAD}
status = open("/proc/self/status").read()
print("CAPEFF", [l.split()[1] for l in status.splitlines() if l.startswith("CapEff")][0])
print("UID", os.getuid())
attempt("SHADOW", lambda: open("/etc/shadow").read())
# Opened for writing only (never written): what a patch would need to change it.
attempt("COREPATTERN", lambda: os.close(os.open("/proc/sys/kernel/core_pattern", os.O_WRONLY | os.O_APPEND)))
run("REMOUNT", ["mount", "-o", "remount,rw", "/"])
run("REMOUNT-BIND", ["mount", "-o", "remount,bind,rw", "/"])
attempt("HOSTWRITE", lambda: open(${JSON.stringify(marker)}, "w").write("escaped"))
run("USERNS", ["unshare", "-U", "-r", "true"])
attempt("SETUID0", lambda: os.setuid(0))
time.sleep(1.5)  # long enough for the test to see this process from the host
${FIXED}`,

  sockets: (targets: string[]) => `${HEAD}
import socket
for t in ${JSON.stringify(targets)}:
    try:
        if t.startswith("tcp:"):
            s = socket.create_connection(("127.0.0.1", int(t[4:])), timeout=3)
        else:
            s = socket.socket(socket.AF_UNIX)
            s.settimeout(3)
            s.connect("\\0" + t[1:] if t.startswith("@") else t)
        s.recv(5)
        s.close()
        print("CONNECTED", t, flush=True)
    except OSError as e:
        print("UNREACHABLE", t, e.strerror or type(e).__name__, flush=True)
${FIXED}`,

  limits: () => `${HEAD}
pids = []
try:
    for _ in range(400):
        pid = os.fork()
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        pids.append(pid)
    print("FORK ALL", len(pids), flush=True)
except OSError as e:
    print("FORK STOPPED", len(pids), e.strerror, flush=True)
for p in pids:
    os.kill(p, 9)
    os.waitpid(p, 0)

for mib in (1024, 100):
    try:
        b = bytearray(mib << 20)
        del b
        print("ALLOC", mib, "MiB OK", flush=True)
    except MemoryError:
        print("ALLOC", mib, "MiB MemoryError", flush=True)

def fill(path, mib):
    n = 0
    try:
        with open(path, "wb") as f:
            while n < mib:
                f.write(b"x" * (1 << 20))
                f.flush()
                n += 1
        print("FILL", path, "OK", n, flush=True)
    except OSError as e:
        print("FILL", path, "STOPPED", n, e.strerror, flush=True)
    try:
        os.remove(path)
    except OSError:
        pass

fill("big.bin", 1024)
n = 0
try:
    for n in range(1000):
        with open("many-%d.bin" % n, "wb") as f:
            f.write(b"x" * (1 << 20))
    print("MANY OK", flush=True)
except OSError as e:
    print("MANY STOPPED", n, e.strerror, flush=True)
for i in range(n + 1):
    try:
        os.remove("many-%d.bin" % i)
    except OSError:
        pass
fill("/tmp/big.bin", 1024)
fill("/dev/shm/big.bin", 1024)
attempt("DEV", lambda: open("/dev/tfx-x", "w").write("x"))
${FIXED}`,

  daemon: (mark: string) => `${HEAD}
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(120)", ${JSON.stringify(mark)}])
    os._exit(0)
print("DAEMON STARTED", flush=True)
while True:
    time.sleep(1)
`,

  environment: () => `${HEAD}
import glob, json
print("KEYS", json.dumps(sorted(os.environ)), flush=True)
print("HOME", os.environ.get("HOME"), flush=True)
print("PASS_ME", os.environ.get("PASS_ME"), flush=True)
print("SET_HERE", os.environ.get("SET_HERE"), flush=True)
seen = []
for p in glob.glob("/proc/[0-9]*/environ"):
    try:
        seen.append(open(p, "rb").read().decode("latin-1").replace("\\0", " "))
    except OSError:
        pass
print("PROC-ENVIRON", len(seen), "files", flush=True)
for text in seen:
    print("ENV-OF-PROCESS", text, flush=True)
${FIXED}`,

  /** `n` processes, each holding `mib` MiB (under its own address-space limit), at the same time. */
  memoryTogether: (n: number, mib: number) => `${HEAD}
kids = []
for _ in range(${n}):
    pid = os.fork()
    if pid == 0:
        b = bytearray(${mib} << 20)
        for i in range(0, len(b), 4096):
            b[i] = 1
        time.sleep(3)
        os._exit(0)
    kids.append(pid)
killed = 0
for pid in kids:
    _, status = os.waitpid(pid, 0)
    killed += os.WIFSIGNALED(status)
print("KILLED", killed, flush=True)
if killed:
    sys.exit(1)
${FIXED}`,

  /** Reads each file: READ path text, or HIDDEN path why. */
  files: (paths: string[]) => `${HEAD}
for p in ${JSON.stringify(paths)}:
    try:
        print("READ", p, open(p).read().strip(), flush=True)
    except OSError as e:
        print("HIDDEN", p, e.strerror, flush=True)
${FIXED}`,

  /** Looks for the key KEYRING_KEY in the session keyring it was started with, reads it, adds one. */
  keyring: () =>
    `${HEAD}
import ctypes, platform
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
ADD_KEY, KEYCTL = KEYRING_NRS[platform.machine()]
kid = libc.syscall(KEYCTL, 10, ctypes.c_int(-3), b"user", ${JSON.stringify(KEYRING_KEY)}.encode(), 0)
if kid < 0:
    print("KEYRING DENIED", os.strerror(ctypes.get_errno()), flush=True)
else:
    buf = ctypes.create_string_buffer(200)
    n = libc.syscall(KEYCTL, 11, ctypes.c_long(kid), buf, 200)
    print("KEYRING READ", buf.raw[:n].decode() if n > 0 else os.strerror(ctypes.get_errno()), flush=True)
n = libc.syscall(ADD_KEY, b"user", b"tfx-planted", b"x", 1, ctypes.c_int(-3))
print("ADDKEY", "DENIED " + os.strerror(ctypes.get_errno()) if n < 0 else "OK", flush=True)
${FIXED}`.replace('KEYRING_NRS', KEYRING_NRS),
};

/**
 * A command line that joins a fresh session keyring, puts `secret` in it as KEYRING_KEY, then runs
 * what follows it (as the user that runs it): the session keyring a user's login gives every
 * process, a Kerberos ticket or a cached passphrase in it.
 */
export function keyringWrapper(python: string, secret: string): string[] {
  const code = [
    'import ctypes, os, platform, sys',
    'libc = ctypes.CDLL(None, use_errno=True)',
    'libc.syscall.restype = ctypes.c_long',
    `ADD_KEY, KEYCTL = ${KEYRING_NRS}[platform.machine()]`,
    'if libc.syscall(KEYCTL, 1, None) < 0:',
    '    sys.exit("keyctl(JOIN_SESSION_KEYRING): " + os.strerror(ctypes.get_errno()))',
    'v = sys.argv[1].encode()',
    `if libc.syscall(ADD_KEY, b"user", ${JSON.stringify(KEYRING_KEY)}.encode(), v, len(v), ctypes.c_int(-3)) < 0:`,
    '    sys.exit("add_key: " + os.strerror(ctypes.get_errno()))',
    'os.execvp(sys.argv[2], sys.argv[2:])',
  ].join('\n');
  return [python, '-c', code, secret];
}
