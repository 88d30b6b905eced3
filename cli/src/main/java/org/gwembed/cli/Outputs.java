package org.gwembed.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Output directories of the commands, and I/O failures said in words rather than exception class names. */
final class Outputs {

    private Outputs() {
    }

    /**
     * Creates the output directory {@code dir} (and its parents) and checks that it can be written to.
     *
     * @throws IllegalArgumentException naming the directory and the reason (exit code 2)
     */
    static void createDirectories(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("cannot create output directory " + dir
                    + ": a file of that name exists (--out takes a directory)");
        }
        for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw new IllegalArgumentException("cannot create output directory " + dir + ": " + p
                        + " is a file, not a directory");
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create output directory " + dir + ": " + reason(e), e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException("output directory " + dir + " is not writable");
        }
    }

    /** What went wrong, in words: "permission denied", "not a directory", ... with the path it concerns. */
    static String reason(IOException e) {
        String file = e instanceof FileSystemException f && f.getFile() != null ? f.getFile() : null;
        String what;
        if (e instanceof NoSuchFileException) {
            what = "no such file or directory";
        } else if (e instanceof AccessDeniedException) {
            what = "permission denied";
        } else if (e instanceof FileAlreadyExistsException) {
            what = "exists and is not a directory";
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            what = f.getReason().toLowerCase(java.util.Locale.ROOT);
        } else {
            return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
        return file == null ? what : file + ": " + what;
    }
}
