package org.gwembed.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void everyIndexIsVisitedExactlyOnceForAnyThreadCount() {
        for (int threads : new int[] {1, 2, 3, 8}) {
            for (int n : new int[] {0, 1, 7, 1000}) {
                int[] visits = new int[n];
                Parallel.forRange(n, threads, 1000, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        visits[i]++;
                    }
                });
                int[] ones = new int[n];
                java.util.Arrays.fill(ones, 1);
                assertArrayEquals(ones, visits, "forRange n=" + n + " threads=" + threads);
                AtomicInteger count = new AtomicInteger();
                Parallel.forEach(n, threads, i -> count.incrementAndGet());
                assertEquals(n, count.get(), "forEach n=" + n + " threads=" + threads);
            }
        }
    }

    @Test
    void anExceptionInABodyReachesTheCaller() {
        assertThrows(IllegalStateException.class, () -> Parallel.forRange(100, 2, 1_000_000, (from, to) -> {
            if (from <= 50 && 50 < to) {
                throw new IllegalStateException("index 50");
            }
        }));
    }
}
