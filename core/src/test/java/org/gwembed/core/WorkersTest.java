package org.gwembed.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

class WorkersTest {

    @Test
    void everyPartRunsExactlyOnceOverManyBackToBackCalls() {
        for (int call = 0; call < 2000; call++) {
            int parts = 1 + call % 5;
            AtomicIntegerArray runs = new AtomicIntegerArray(parts);
            assertTrue(Workers.tryRun(parts, 1 + call % 3, runs::incrementAndGet));
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
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Workers.tryRun(4, 2, p -> {
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
        assertTrue(Workers.tryRun(2, 1, p -> { }));
    }

    @Test
    void aSecondCallerWhileOneRunsIsRefused() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread first = new Thread(() -> Workers.tryRun(2, 1, p -> {
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
        assertFalse(Workers.tryRun(2, 1, p -> { }), "the helpers are busy: the caller runs its call as one");
        release.countDown();
        first.join();
        assertFalse(Workers.inside(), "the test's thread runs no part now");
        assertTrue(Workers.tryRun(2, 1, p -> { }), "free again");
    }

    @Test
    void aJobUsesNoMoreHelpersThanItAsksForAndPartsRunInsideIt() {
        assertTrue(Workers.tryRun(16, 5, p -> { }), "five helpers started");
        for (int wanted = 0; wanted <= 2; wanted++) {
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            boolean[] insideEverywhere = {true};
            boolean[] nested = {false};
            assertTrue(Workers.tryRun(64, wanted, p -> {
                threads.add(Thread.currentThread());
                if (!Workers.inside()) {
                    insideEverywhere[0] = false;
                }
                if (Workers.tryRun(2, 1, q -> { })) {
                    nested[0] = true;
                }
                long until = System.nanoTime() + 200_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }));
            assertTrue(threads.size() <= wanted + 1, wanted + " helpers wanted, ran on " + threads);
            assertTrue(insideEverywhere[0], "every part sees itself inside the job");
            assertFalse(nested[0], "a job inside a part is refused (its caller runs it alone)");
        }
        assertFalse(Workers.inside());
    }
}
