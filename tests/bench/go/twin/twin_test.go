// Package twin is the Go twin of bench_twin.py: one benchmark per testing.B method that
// rxp bench mirrors, with tiny deterministic bodies, so that `go test -bench` prints the
// output shape rxp bench is held to (see README.md for the commands and Go version).
package twin

import (
	"sync/atomic"
	"testing"
)

var sink int

func work(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i
	}
	return s
}

// logHere is a helper: its log line names the caller's line, not this one.
func logHere(b *testing.B, what string) {
	b.Helper()
	b.Log("helper says", what)
}

func BenchmarkPlain(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink = work(8)
	}
}

func BenchmarkMetrics(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(64)
	for i := 0; i < b.N; i++ {
		sink = work(8)
	}
	b.ReportMetric(3, "widgets/op")
}

func BenchmarkLog(b *testing.B) {
	b.Log("log", "message")
	b.Logf("logf %d", 42)
	logHere(b, "hello")
	for i := 0; i < b.N; i++ {
		sink = work(8)
	}
}

// BenchmarkLines logs a message of two lines: the second is indented by eight spaces.
func BenchmarkLines(b *testing.B) {
	b.Logf("multi\nline %d", 3)
	for i := 0; i < b.N; i++ {
		sink = work(8)
	}
}

func BenchmarkName(b *testing.B) {
	b.Logf("name is %s", b.Name())
	for i := 0; i < b.N; i++ {
		sink = work(8)
	}
}

func BenchmarkCleanup(b *testing.B) {
	b.Cleanup(func() { sink = 0 })
	for i := 0; i < b.N; i++ {
		sink = work(8)
	}
}

func BenchmarkSkip(b *testing.B) {
	b.Skip("skip", "reason")
}

func BenchmarkSkipf(b *testing.B) {
	b.Skipf("skipf %d", 7)
}

func BenchmarkSkipNow(b *testing.B) {
	b.SkipNow()
}

func BenchmarkFatal(b *testing.B) {
	b.Log("before fatal")
	b.Fatal("fatal", "error")
}

func BenchmarkFatalf(b *testing.B) {
	b.Fatalf("fatalf %d", 1)
}

func BenchmarkFailNow(b *testing.B) {
	b.FailNow()
}

func BenchmarkError(b *testing.B) {
	b.Error("error", "message")
	for i := 0; i < b.N; i++ {
		sink = work(8)
	}
}

func BenchmarkErrorf(b *testing.B) {
	b.Errorf("errorf %d", 2)
	for i := 0; i < b.N; i++ {
		sink = work(8)
	}
}

func BenchmarkFail(b *testing.B) {
	if !b.Failed() {
		b.Log("not failed before Fail")
	}
	b.Fail()
	if b.Failed() {
		b.Log("failed after Fail")
	}
	for i := 0; i < b.N; i++ {
		sink = work(8)
	}
}

// BenchmarkFailLate passes its first call (b.N = 1) and fails the measured one.
func BenchmarkFailLate(b *testing.B) {
	if b.N > 1 {
		b.Fatalf("late n=%d", 5)
	}
}

// BenchmarkSub's own log is printed only with -v: a parent that passes has no report.
func BenchmarkSub(b *testing.B) {
	b.Log("parent log")
	for _, size := range []string{"small", "large"} {
		size := size
		b.Run(size, func(b *testing.B) {
			n := 8
			if size == "large" {
				n = 64
			}
			for i := 0; i < b.N; i++ {
				sink = work(n)
			}
		})
	}
	b.Run("skipped", func(b *testing.B) {
		b.Skip("not today")
	})
}

// BenchmarkTree fails through its sub-benchmark: its own log comes under its --- FAIL.
func BenchmarkTree(b *testing.B) {
	b.Log("tree log")
	b.Run("fail", func(b *testing.B) {
		b.Error("sub fail")
	})
	b.Run("log", func(b *testing.B) {
		b.Log("sub log")
		for i := 0; i < b.N; i++ {
			sink = work(8)
		}
	})
}

func BenchmarkParallel(b *testing.B) {
	var total int64
	b.SetParallelism(2)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			atomic.AddInt64(&total, int64(work(8)))
		}
	})
}

func BenchmarkTimer(b *testing.B) {
	b.StopTimer()
	sink = work(64)
	b.StartTimer()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sink = work(8)
	}
}
