package demo

import (
	"testing"
)

func helper(b *testing.B) {
	b.Helper()
	b.Log("from helper")
}

func BenchmarkPass(b *testing.B) {
	for i := 0; i < b.N; i++ {
	}
}

func BenchmarkLogs(b *testing.B) {
	b.Log("hello", 1, "two")
	b.Logf("multi\nline %d", 3)
	helper(b)
	for i := 0; i < b.N; i++ {
	}
}

func BenchmarkSkip(b *testing.B) {
	b.Skip("not today")
}

func BenchmarkSkipf(b *testing.B) {
	b.Skipf("skip %d", 7)
}

func BenchmarkFatal(b *testing.B) {
	b.Log("before")
	b.Fatal("boom")
}

func BenchmarkError(b *testing.B) {
	b.Errorf("err %s", "x")
	for i := 0; i < b.N; i++ {
	}
}

func BenchmarkFailLate(b *testing.B) {
	if b.N > 1 {
		b.Fatalf("late n=%d", 5)
	}
}

func BenchmarkSub(b *testing.B) {
	b.Run("ok", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
		}
	})
	b.Run("skip", func(b *testing.B) { b.Skip("sub skip") })
	b.Run("fail", func(b *testing.B) { b.Error("sub fail") })
	b.Run("log", func(b *testing.B) {
		b.Log("sub log")
		for i := 0; i < b.N; i++ {
		}
	})
}

func BenchmarkParallel(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
		}
	})
}

