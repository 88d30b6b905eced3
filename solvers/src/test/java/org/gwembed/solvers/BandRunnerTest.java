package org.gwembed.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

class BandRunnerTest {

    @Test
    void everyPartRunsExactlyOnceOverManyBackToBackCalls() {
        for (int call = 0; call < 2000; call++) {
            int parts = 1 + call % 5;
            AtomicIntegerArray runs = new AtomicIntegerArray(parts);
            assertTrue(BandRunner.tryRun(parts, 1 + call % 3, runs::incrementAndGet));
            int[] got = new int[parts];
            for (int p = 0; p < parts; p++) {
                got[p] = runs.get(p);
            }
            int[] once = new int[parts];
            java.util.Arrays.fill(once, 1);
            assertArrayEquals(once, got, "call " + call);
        }
    }

    @Test
    void aFailingBandFailsTheCallAfterTheOthersEnded() {
        AtomicIntegerArray runs = new AtomicIntegerArray(4);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BandRunner.tryRun(4, 2, p -> {
            runs.incrementAndGet(p);
            if (p == 2) {
                throw new IllegalStateException("band 2");
            }
        }));
        assertEquals("band 2", e.getMessage());
        for (int p = 0; p < 4; p++) {
            assertEquals(1, runs.get(p), "part " + p);
        }
        // the runner is free again
        assertTrue(BandRunner.tryRun(2, 1, p -> { }));
    }

    @Test
    void aSecondCallerWhileOneRunsIsRefused() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread first = new Thread(() -> BandRunner.tryRun(2, 1, p -> {
            if (p == 0) {
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
        first.start();
        inside.await();
        assertFalse(BandRunner.tryRun(2, 1, p -> { }), "the helpers are busy: the caller runs its call as one");
        release.countDown();
        first.join();
        assertFalse(BandRunner.onHelper(), "the test's thread is no helper");
        assertTrue(BandRunner.tryRun(2, 1, p -> { }), "free again");
    }
}
