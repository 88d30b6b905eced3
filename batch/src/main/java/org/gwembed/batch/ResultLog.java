package org.gwembed.batch;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.gwembed.core.Require;

/**
 * The per-task result log of a job: a folder of append-only part files ({@code part-*.csv}), one line per finished
 * task, written and flushed the moment the task ends. Each writer (the local engine's pool, or one Spark task
 * attempt) has its own part file, so no two processes ever append to the same file. Reading takes every complete
 * line (one that ends in a line break: a process killed in the middle of a write leaves at most one incomplete last
 * line, which is ignored) and keeps one line per key, so a retried Spark task that repeats a pair does no harm.
 *
 * <p>The folder must be reachable by every worker under the same path (on a cluster: a shared filesystem).
 */
public final class ResultLog implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String dir;

    /** The log in {@code dir} (created when missing). */
    public ResultLog(Path dir) {
        Require.nonNull(dir, "dir");
        this.dir = dir.toAbsolutePath().toString();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the result log folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The folder. */
    public Path dir() {
        return Path.of(dir);
    }

    /** A new part file named after {@code owner} (plus a random suffix, so that attempts never collide). */
    public Writer open(String owner) {
        Path file = dir().resolve("part-" + owner.replaceAll("[^A-Za-z0-9_.-]", "_") + "-"
                + UUID.randomUUID().toString().substring(0, 8) + ".csv");
        try {
            return new Writer(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every complete line of every part file, one per key (the first seen), keyed by the line's first field. */
    public Map<String, String> read() {
        Map<String, String> lines = new LinkedHashMap<>();
        for (Path part : parts()) {
            String text;
            try {
                text = Files.readString(part, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + part + ": " + e.getMessage(), e);
            }
            int start = 0;
            for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
                String line = text.substring(start, end);
                start = end + 1;
                int comma = line.indexOf(',');
                if (comma > 0) {
                    lines.putIfAbsent(line.substring(0, comma), line);
                }
            }
        }
        return lines;
    }

    /** How many complete lines the part files hold (duplicates counted), cheaply, for progress. */
    public long countLines() {
        long count = 0;
        for (Path part : parts()) {
            try {
                byte[] bytes = Files.readAllBytes(part);
                for (byte b : bytes) {
                    if (b == '\n') {
                        count++;
                    }
                }
            } catch (IOException e) {
                // a part being created; counted next time
            }
        }
        return count;
    }

    private List<Path> parts() {
        List<Path> parts = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir(), "part-*.csv")) {
            s.forEach(parts::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        parts.sort(null);
        return parts;
    }

    /** Appends lines to one part file; thread-safe; each line is flushed to the file system at once. */
    public static final class Writer implements AutoCloseable {
        private final BufferedWriter out;

        private Writer(BufferedWriter out) {
            this.out = out;
        }

        /** Appends {@code line} and a line break, and flushes. */
        public synchronized void append(String line) {
            if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("a log line must not contain a line break, got '" + line + "'");
            }
            try {
                out.write(line);
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to the result log: " + e.getMessage(), e);
            }
        }

        @Override
        public synchronized void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the result log: " + e.getMessage(), e);
            }
        }
    }
}
