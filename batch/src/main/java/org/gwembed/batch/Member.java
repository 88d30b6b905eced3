package org.gwembed.batch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.gwembed.core.Require;

/**
 * One member of a collection: a distance matrix file ({@code .npy}, {@code .csv}, {@code .tsv}, {@code .txt}) with
 * its name (the file name without extension) and its number of points, read from the file's header only (the
 * {@code .npy} shape, or the number of lines of a text table) so that the driver never loads a whole collection.
 * For fused GW a member's node features sit beside it: {@code NAME.features.npy} or {@code NAME.features.csv}
 * ({@link #features()}); such files are never members themselves.
 *
 * @param index position in the collection (sorted by file name)
 * @param name  the file name without its extension
 * @param path  the absolute path, which every worker must be able to read
 * @param size  points (rows), or 0 when even the header could not be read (the member's pairs are then reported
 *              bad with the reader's reason)
 */
public record Member(int index, String name, String path, int size) implements Serializable {

    /** Extensions of member files. */
    public static final Set<String> EXTENSIONS = Set.of("npy", "csv", "tsv", "txt");

    /** What a feature table's file name adds to its member's name. */
    public static final String FEATURES = ".features";

    /** Extensions of feature tables, in the order they are looked for. */
    public static final List<String> FEATURE_EXTENSIONS = List.of("npy", "csv");

    private static final Pattern NPY_SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(\\s*(\\d+)");

    /** Validates the fields. */
    public Member {
        Require.nonNull(name, "name");
        Require.nonNull(path, "path");
        Require.nonNegative(size, "size");
    }

    /**
     * The members of a folder: its files with a member extension, sorted by name, except those whose name is in
     * {@code skip} (e.g. {@code labels.csv}) and feature tables ({@code *.features.npy}, {@code *.features.csv}).
     *
     * @throws IllegalArgumentException when {@code dir} is not a folder or holds fewer than 2 members
     */
    public static List<Member> scan(Path dir, Set<String> skip) {
        Require.nonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--inputs must be a folder of distance matrices (.npy/.csv/.tsv/.txt), "
                    + "got " + dir);
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String file = p.getFileName().toString();
                if (Files.isRegularFile(p) && EXTENSIONS.contains(extension(file)) && !skip.contains(file)
                        && !isFeatureTable(file)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list --inputs " + dir + ": " + e.getMessage(), e);
        }
        files.sort(null);
        if (files.size() < 2) {
            throw new IllegalArgumentException("--inputs " + dir + " must hold at least 2 distance matrices "
                    + "(.npy/.csv/.tsv/.txt), got " + files.size());
        }
        List<Member> members = new ArrayList<>();
        for (Path p : files) {
            String file = p.getFileName().toString();
            members.add(new Member(members.size(), file.substring(0, file.lastIndexOf('.')),
                    p.toAbsolutePath().toString(), headerSize(p)));
        }
        return members;
    }

    /**
     * The node-feature table beside this member ({@code NAME.features.npy}, else {@code NAME.features.csv}, in the
     * member's folder), or null when there is none.
     */
    public Path features() {
        Path file = Path.of(path);
        for (String ext : FEATURE_EXTENSIONS) {
            Path f = file.resolveSibling(name + FEATURES + "." + ext);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        return null;
    }

    private static boolean isFeatureTable(String file) {
        int dot = file.lastIndexOf('.');
        return dot > 0 && FEATURE_EXTENSIONS.contains(extension(file))
                && file.substring(0, dot).toLowerCase(Locale.ROOT).endsWith(FEATURES);
    }

    /** The extension of a file name, lower case ({@code ""} when none). */
    static String extension(String file) {
        int dot = file.lastIndexOf('.');
        return dot < 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Rows of the matrix in {@code file} from its header, or 0 when that cannot be read. */
    static int headerSize(Path file) {
        try {
            if (extension(file.getFileName().toString()).equals("npy")) {
                byte[] head = new byte[512];
                int read;
                try (InputStream in = Files.newInputStream(file)) {
                    read = in.readNBytes(head, 0, head.length);
                }
                Matcher m = NPY_SHAPE.matcher(new String(head, 0, read, StandardCharsets.ISO_8859_1));
                return m.find() ? Integer.parseInt(m.group(1)) : 0;
            }
            int lines = 0;
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (!line.isBlank()) {
                        lines++;
                    }
                }
            }
            return lines;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
