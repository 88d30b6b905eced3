package org.gwembed.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.gwembed.embedding.JointEmbedding;
import org.gwembed.embedding.ProgressListener;
import org.gwembed.metricspaces.AtomicFiles;

/**
 * Ctrl-C and SIGTERM during an EW_λ run: a shutdown hook, installed by {@link #listener} for the run until
 * {@link #finished()}, asks the solver to stop after the outer iteration it is in
 * ({@link ProgressListener#cancelled()}) and waits up to {@link #GRACE_SECONDS} for the command to write what that
 * iteration holds ({@code result.json} says {@code "stopped": "interrupted"}); whatever is still being written then
 * is deleted, so the output directory holds complete files only. The process then ends with the signal's exit status
 * (130 or 143). One run at a time (the commands run one EW_λ run after another).
 */
final class Interruption {

    /** How long the hook waits for the last outer iteration and the outputs. */
    static final long GRACE_SECONDS = 60;

    /** The hook of the run in progress, or null. */
    private static Interruption current;

    private volatile boolean requested;
    private final CountDownLatch written = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onShutdown, "gwembed-interrupt");

    private Interruption() {
    }

    /**
     * {@code listener}, answering {@link ProgressListener#cancelled()} from a shutdown hook installed now (until
     * {@link #finished()}).
     */
    static synchronized ProgressListener listener(ProgressListener listener) {
        if (current == null) {
            Interruption i = new Interruption();
            try {
                Runtime.getRuntime().addShutdownHook(i.hook);
                current = i;
            } catch (IllegalStateException e) {
                return listener; // already shutting down: nothing to install
            }
        }
        Interruption i = current;
        return new ProgressListener() {
            @Override
            public void outerIteration(JointEmbedding.Step step) {
                listener.outerIteration(step);
            }

            @Override
            public void stage(String description) {
                listener.stage(description);
            }

            @Override
            public boolean cancelled() {
                return i.requested;
            }
        };
    }

    /** The outputs are written (or the run failed): the hook lets the process end; it is uninstalled. */
    static synchronized void finished() {
        Interruption i = current;
        if (i == null) {
            return;
        }
        current = null;
        i.written.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(i.hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook is running and returns now
        }
    }

    private void onShutdown() {
        requested = true;
        try {
            written.await(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        AtomicFiles.deleteUnfinished();
    }
}
