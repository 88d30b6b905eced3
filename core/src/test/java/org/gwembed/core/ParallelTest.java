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

    /**
     * While two blocks are left, both workers run one: each block waits until another block runs beside it (or
     * every other block has ended). Joining the forked blocks oldest first broke this: the joining worker waited
     * for the block the other had just stolen, and every block ran alone until its wait ran out. The 10 s are a
     * guard against a hang, not a timing: a block that runs alone waits for all of them.
     */
    @Test
    void twoWorkersRunTwoBlocksAtATimeUntilOneIsLeft() {
        int blocks = 8;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger ended = new AtomicInteger();
        AtomicInteger alone = new AtomicInteger();
        for (int round = 0; round < 10; round++) {
            running.set(0);
            ended.set(0);
            Parallel.forRange(blocks, 2, Long.MAX_VALUE / 16, (from, to) -> {
                running.incrementAndGet();
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (running.get() < 2 && ended.get() < blocks - 1) {
                    if (System.nanoTime() > deadline) {
                        alone.incrementAndGet();
                        break;
                    }
                    Thread.onSpinWait();
                }
                running.decrementAndGet();
                ended.incrementAndGet();
            });
        }
        assertEquals(0, alone.get(), "blocks that ran alone while others were left");
    }
}
