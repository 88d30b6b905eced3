package org.gwembed.metricspaces;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.gwembed.core.Require;

/**
 * Per-point labels (cell types, classes) from text files with one label per line, as SCOT's data sets ship them.
 *
 * <p>Reading rules: UTF-8 (a leading byte-order mark is dropped); {@code \n}, {@code \r\n} or {@code \r} line
 * ends; the final line end is optional; each label is trimmed. Blank lines at the end are ignored, but a blank
 * line before the last label is an error (it would shift every later label to the wrong point). Numeric labels
 * are written canonically ({@link #normalize(String)}): {@code 1.000000000000000000e+00}, {@code 1.0} and
 * {@code 1} all become {@code "1"}, so that scGEM's float-formatted labels match SNAREseq's integers.
 */
public final class Labels {

    private Labels() {
    }

    /**
     * Reads one label per line.
     *
     * @return the labels, trimmed and {@linkplain #normalize(String) normalised}, one per point, in file order
     * @throws InputFormatException if the file is missing, empty, or has a blank line before its last label
     */
    public static List<String> read(Path file) {
        Require.nonNull(file, "file");
        List<String> labels = new ArrayList<>();
        long firstBlank = -1;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                String t = line.strip();
                if (t.isEmpty()) {
                    if (firstBlank < 0) {
                        firstBlank = lineNo;
                    }
                    continue;
                }
                if (firstBlank >= 0) {
                    throw new InputFormatException(file, firstBlank, "blank line before the label on line " + lineNo
                            + "; every line must hold the label of one point");
                }
                labels.add(normalize(t));
            }
        } catch (NoSuchFileException e) {
            throw new InputFormatException(file, "no such file", e);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new InputFormatException(file, "not a UTF-8 text file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (labels.isEmpty()) {
            throw new InputFormatException(file, 1, "no labels (the file is empty)");
        }
        return List.copyOf(labels);
    }

    /**
     * The canonical form of a label: trimmed; a decimal number ({@code [+-]? digits [. digits] [e[+-]digits]}) is
     * rewritten exactly, without exponent and trailing zeros ({@code "1.000000000000000000e+00"} → {@code "1"},
     * {@code "2.50"} → {@code "2.5"}, {@code "-0.0"} → {@code "0"}); anything else is returned trimmed.
     */
    public static String normalize(String label) {
        Require.nonNull(label, "label");
        String t = label.strip();
        if (isDecimal(t)) {
            BigDecimal v = new BigDecimal(t.startsWith("+") ? t.substring(1) : t);
            if (v.signum() == 0) {
                return "0";
            }
            return v.stripTrailingZeros().toPlainString();
        }
        return t;
    }

    /** Whether {@code s} is a decimal number (not nan or inf), which {@link BigDecimal} parses after a leading '+'. */
    private static boolean isDecimal(String s) {
        return Tables.isNumber(s) && s.chars().anyMatch(Character::isDigit);
    }

    /**
     * Labels mapped to class indices {@code 0..m-1}.
     *
     * @param names   the {@code m} distinct labels; class {@code c} is {@code names.get(c)}
     * @param indices the class of each point (the array is the record's own; do not modify)
     */
    public record Classes(List<String> names, int[] indices) {

        /** Validates that every index names a class. */
        public Classes {
            Require.nonNull(names, "names");
            Require.nonNull(indices, "indices");
            names = List.copyOf(names);
            for (int i = 0; i < indices.length; i++) {
                if (indices[i] < 0 || indices[i] >= names.size()) {
                    throw new IllegalArgumentException("indices[" + i + "] = " + indices[i] + " is outside [0, "
                            + names.size() + ")");
                }
            }
        }

        /** The number of classes {@code m}. */
        public int count() {
            return names.size();
        }

        /** The number of points in each class, indexed like {@link #names()}. */
        public int[] sizes() {
            int[] sizes = new int[names.size()];
            for (int c : indices) {
                sizes[c]++;
            }
            return sizes;
        }
    }

    /**
     * Maps labels to class indices. Classes are ordered numerically when every label is a number (so
     * {@code "2" < "10"}), else lexicographically; {@code "1".."4"} become classes {@code 0..3}.
     */
    public static Classes toClasses(List<String> labels) {
        Require.nonNull(labels, "labels");
        boolean numeric = true;
        for (int i = 0; i < labels.size(); i++) {
            String l = Require.nonNull(labels.get(i), "labels[" + i + "]");
            numeric &= isDecimal(l);
        }
        Comparator<String> order = numeric
                ? Comparator.comparing((String l) -> new BigDecimal(l.startsWith("+") ? l.substring(1) : l))
                        .thenComparing(Comparator.naturalOrder())
                : Comparator.naturalOrder();
        TreeSet<String> distinct = new TreeSet<>(order);
        distinct.addAll(labels);
        List<String> names = List.copyOf(distinct);
        Map<String, Integer> index = new HashMap<>();
        for (int c = 0; c < names.size(); c++) {
            index.put(names.get(c), c);
        }
        int[] indices = new int[labels.size()];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = index.get(labels.get(i));
        }
        return new Classes(names, indices);
    }
}
