package org.gwembed.metricspaces;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.gwembed.core.Require;

/**
 * The one way output files are written: into a temporary file in the same directory ({@code .NAME.RANDOM.tmp}),
 * renamed to {@code NAME} when complete ({@link StandardCopyOption#ATOMIC_MOVE}, or
 * {@link StandardCopyOption#REPLACE_EXISTING} where the file system cannot move atomically). A reader of the
 * directory sees the old file or the new one, never half of one; a failed or interrupted write leaves no temporary
 * file behind (it is deleted on failure, and {@link #deleteUnfinished()} removes those still open, for a shutdown
 * hook). The data are not forced to disk: the rename protects against interruption, not against a power cut.
 */
public final class AtomicFiles {

    /** Temporary files being written now. */
    private static final Set<Path> UNFINISHED = ConcurrentHashMap.newKeySet();
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /** Writes the bytes a body produces. */
    @FunctionalInterface
    public interface Body {
        /** Writes the file's content to {@code out} (buffered; closed by the caller). */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code file} atomically: {@code body} writes into a temporary file beside it, which then replaces
     * {@code file}.
     *
     * @throws IOException if the temporary file cannot be created or written, or the rename fails; the temporary
     *                     file is deleted and {@code file} is left as it was
     */
    public static void write(Path file, Body body) throws IOException {
        Require.nonNull(file, "file");
        Require.nonNull(body, "body");
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        // not Files.createTempFile, whose files are private (rw-------): this one gets the permissions of any new
        // file (the umask's), as the file written in place used to
        Path tmp;
        OutputStream stream;
        while (true) {
            tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong() >>> 1) + ".tmp");
            try {
                stream = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                break;
            } catch (FileAlreadyExistsException e) {
                // another writer's name: draw again
            }
        }
        UNFINISHED.add(tmp);
        boolean done = false;
        try {
            try (OutputStream out = new BufferedOutputStream(stream, 1 << 16)) {
                body.writeTo(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            UNFINISHED.remove(tmp);
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Writes {@code bytes} to {@code file} atomically. */
    public static void write(Path file, byte[] bytes) throws IOException {
        Require.nonNull(bytes, "bytes");
        write(file, out -> out.write(bytes));
    }

    /**
     * Deletes the temporary files of writes still in progress (for a shutdown hook: the process is ending, so they
     * would never be renamed); returns how many it deleted.
     */
    public static int deleteUnfinished() {
        int n = 0;
        for (Path p : Set.copyOf(UNFINISHED)) {
            try {
                if (Files.deleteIfExists(p)) {
                    n++;
                }
            } catch (IOException e) {
                // the process is ending; nothing better to do
            }
            UNFINISHED.remove(p);
        }
        return n;
    }

    /** Whether {@code name} is a temporary file of this class ({@code .NAME.RANDOM.tmp}). */
    public static boolean isTemporary(String name) {
        return name.startsWith(".") && name.endsWith(".tmp");
    }
}
