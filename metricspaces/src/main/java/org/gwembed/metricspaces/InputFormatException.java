package org.gwembed.metricspaces;

import java.nio.file.Path;

/**
 * A file that could not be parsed. The message starts with the file name and the place of the problem, e.g.
 * {@code "bunny.obj:12: face index 4000 is outside [1, 3500]"} for a text file, or
 * {@code "mesh.ply: element face, item 7, byte offset 3456: ..."} for binary data.
 *
 * <p>An {@link IllegalArgumentException}, since a malformed file is bad input; I/O failures stay
 * {@link java.io.IOException}s.
 */
public final class InputFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The file (or stream name) that failed to parse. */
    private final String file;
    /** The place in the file: {@code "line 12"} or {@code "element face, item 7, byte offset 3456"}. */
    private final String location;
    /** The line number, or {@code -1} for binary data. */
    private final long line;

    private InputFormatException(String file, String location, long line, String problem) {
        super(file + (line >= 0 ? ":" + line : ": " + location) + ": " + problem);
        this.file = file;
        this.location = location;
        this.line = line;
    }

    /** A problem on a line (1-based) of a text file (or text header). */
    /** A problem at a line of a text file; the message starts {@code path:line:}. */
    public InputFormatException(Path file, long line, String problem) {
        this(String.valueOf(file), "line " + line, line, problem);
    }

    /** A problem with a whole file (missing, unreadable, wrong kind), with its cause. */
    public InputFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = String.valueOf(file);
        this.location = "";
        this.line = -1;
    }

    /** A problem with a whole file, without a cause. */
    public InputFormatException(Path file, String problem) {
        this(file, problem, null);
    }

    public static InputFormatException atLine(String file, long line, String problem) {
        return new InputFormatException(file, "line " + line, line, problem);
    }

    /** As {@link #atLine(String, long, String)} with the file's name. */
    public static InputFormatException atLine(Path file, long line, String problem) {
        return atLine(String.valueOf(file.getFileName()), line, problem);
    }

    /** A problem in binary data, at a described location (element, item, byte offset). */
    public static InputFormatException at(String file, String location, String problem) {
        return new InputFormatException(file, location, -1, problem);
    }

    /** The file name as it appears in the message. */
    public String file() {
        return file;
    }

    /** Where the problem is: {@code "line 12"} or a binary location. */
    public String location() {
        return location;
    }

    /** The 1-based line number, or {@code -1} when the problem is in binary data. */
    public long line() {
        return line;
    }
}
