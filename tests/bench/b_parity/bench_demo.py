"""The Python twin of demo_test.go, line for line where Go's output names a line."""


def helper(b):
    b.helper()
    b.log("from helper")


def BenchmarkPass(b):
    for _ in range(b.n):
        pass


def BenchmarkLogs(b):
    b.log("hello", 1, "two")
    b.logf("multi\nline %d", 3)
    helper(b)
    for _ in range(b.n):
        pass


def BenchmarkSkip(b):
    b.skip("not today")


def BenchmarkSkipf(b):
    b.skipf("skip %d", 7)


def BenchmarkFatal(b):
    b.log("before")
    b.fatal("boom")


def BenchmarkError(b):
    b.errorf("err %s", "x")
    for _ in range(b.n):
        pass


def BenchmarkFailLate(b):
    if b.n > 1:
        b.fatalf("late n=%d", 5)


def BenchmarkSub(b):
    def ok(b):
        for _ in range(b.n):
            pass

    b.run("ok", ok)
    b.run("skip", lambda b: b.skip("sub skip"))
    b.run("fail", lambda b: b.error("sub fail"))

    def log(b):
        b.log("sub log")
        for _ in range(b.n):
            pass

    b.run("log", log)


def BenchmarkParallel(b):
    def body(pb):
        while pb.next():
            pass

    b.run_parallel(body)
