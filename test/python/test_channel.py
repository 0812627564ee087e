# The record buffer and its channel: batches leave whole, in order, and nothing appended meanwhile
# by another thread is lost (the failure mode of the earlier json.dumps(buf); del buf[:] pair).
import json
import socket
import threading

import pydevd_tracefix_channel as channel
import pydevd_tracefix_core as core


def test_records_appended_by_threads_during_flushes_all_arrive_in_order():
    a, b = socket.socketpair()
    chunks = []

    def drain():
        while True:
            d = b.recv(1 << 16)
            if not d:
                return
            chunks.append(d)

    reader = threading.Thread(target=drain)
    reader.start()
    channel._sock[0] = a
    channel._core['m'] = core
    channel._st['closed'] = False
    del core.buf[:]
    per_thread = 20000

    def produce(tag):
        for k in range(per_thread):
            core.buf.append(('O', 1, '%s%d' % (tag, k)))
            if k % 97 == 0:
                channel.flush()

    threads = [threading.Thread(target=produce, args=(t,)) for t in 'abcd']
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    channel.close()
    reader.join(10)
    got = [r[2] for line in b''.join(chunks).decode().splitlines() for r in json.loads(line)]
    assert len(got) == 4 * per_thread
    for tag in 'abcd':
        mine = [int(x[1:]) for x in got if x[0] == tag]
        assert mine == list(range(per_thread))


def test_a_batch_that_cannot_be_encoded_is_reported_not_dropped_silently():
    a, b = socket.socketpair()
    channel._sock[0] = a
    channel._core['m'] = core
    channel._st['closed'] = False
    del core.buf[:]
    core.buf.append(('O', 1, object()))
    channel.flush()
    a.close()
    data = b.recv(1 << 16).decode()
    assert json.loads(data)[0][:2] == ['W', 'encode']
