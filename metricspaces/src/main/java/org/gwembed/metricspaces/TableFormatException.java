package org.gwembed.metricspaces;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A data file (numeric table, {@code .npy} array, label or weight file) that cannot be read as what it claims to
 * be. The message starts with the file and, for text files, the 1-based line number:
 * {@code "data/x.csv:7: row has 9 fields, expected 10 (as on line 1)"}.
 *
 * <p>An {@link IllegalArgumentException}: a bad file is bad input.
 */
public final class TableFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;

    /**
     * A problem at a line of a text file.
     *
     * @param file   the file
     * @param line   the 1-based line number
     * @param detail what is wrong, without the file name
     */
    public TableFormatException(Path file, long line, String detail) {
        super(file + ":" + line + ": " + detail);
        this.file = String.valueOf(file);
        this.line = line;
    }

    /**
     * A problem with a file as a whole (a binary header, a missing file, a failed validation).
     *
     * @param file   the file
     * @param detail what is wrong, without the file name
     * @param cause  the underlying exception, or {@code null}
     */
    public TableFormatException(Path file, String detail, Throwable cause) {
        super(file + ": " + detail, cause);
        this.file = String.valueOf(file);
        this.line = -1;
    }

    /** The file, as given to the reader. */
    public String file() {
        return file;
    }

    /** The 1-based line number, when the problem is at a line of a text file. */
    public OptionalLong line() {
        return line >= 1 ? OptionalLong.of(line) : OptionalLong.empty();
    }
}
