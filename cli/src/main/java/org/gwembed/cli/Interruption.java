package org.gwembed.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.gwembed.embedding.JointEmbedding;
import org.gwembed.embedding.ProgressListener;
import org.gwembed.metricspaces.AtomicFiles;

/**
 * Ctrl-C and SIGTERM during an EW_λ run: a shutdown hook, installed for the run, asks the solver to stop after the
 * outer iteration it is in ({@link ProgressListener#cancelled()}) and waits up to {@link #GRACE_SECONDS} for the
 * command to write what that iteration holds ({@code result.json} says {@code "stopped": "interrupted"}); whatever
 * is still being written then is deleted, so the output directory holds complete files only. The process then ends
 * with the signal's exit status (130 or 143).
 */
final class Interruption implements AutoCloseable {

    /** How long the hook waits for the last outer iteration and the outputs. */
    static final long GRACE_SECONDS = 60;

    private volatile boolean requested;
    private final CountDownLatch written = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onShutdown, "gwembed-interrupt");
    private boolean installed;

    /** Installs the hook (until {@link #close()}). */
    static Interruption install() {
        Interruption i = new Interruption();
        try {
            Runtime.getRuntime().addShutdownHook(i.hook);
            i.installed = true;
        } catch (IllegalStateException e) {
            // already shutting down: nothing to install
        }
        return i;
    }

    /** Whether a signal asked the run to stop. */
    boolean requested() {
        return requested;
    }

    /** {@code listener}, answering {@link ProgressListener#cancelled()} from this. */
    ProgressListener listener(ProgressListener listener) {
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
                return requested;
            }
        };
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

    /** The outputs are written (or the run failed): the hook may let the process end; uninstalls it. */
    @Override
    public void close() {
        written.countDown();
        if (installed) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running and returns now
            }
        }
    }
}
