package org.gwembed.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Class labels of a collection's members from a CSV file: a header, then one row per member with its name (the
 * file name with or without extension; column {@code name}, {@code member}, {@code file} or {@code id}, else the
 * first) and its label (column {@code label}, {@code class} or {@code movement}, else the second).
 *
 * @param names  the distinct labels, in order of first appearance
 * @param codes  per member, the index of its label in {@code names}
 */
record Labels(List<String> names, int[] codes) {

    static Labels read(Path file, List<Member> members) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --labels " + file + ": " + e.getMessage(), e);
        }
        lines.removeIf(String::isBlank);
        if (lines.size() < 2) {
            throw new IllegalArgumentException("--labels " + file + " needs a header and one row per member, got "
                    + lines.size() + " lines");
        }
        String[] header = lines.get(0).split(",", -1);
        int nameColumn = column(header, 0, "name", "member", "file", "id");
        int labelColumn = column(header, 1, "label", "class", "movement");
        Map<String, String> byName = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f.length <= Math.max(nameColumn, labelColumn)) {
                throw new IllegalArgumentException("--labels " + file + ": the row '" + line + "' has " + f.length
                        + " fields, expected at least " + (Math.max(nameColumn, labelColumn) + 1));
            }
            String name = f[nameColumn].strip();
            int dot = name.lastIndexOf('.');
            if (dot > 0 && Member.EXTENSIONS.contains(Member.extension(name))) {
                name = name.substring(0, dot);
            }
            byName.put(name, f[labelColumn].strip());
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        int[] codes = new int[members.size()];
        for (Member m : members) {
            String label = byName.get(m.name());
            if (label == null) {
                throw new IllegalArgumentException("--labels " + file + " has no row for the member " + m.name());
            }
            codes[m.index()] = index.computeIfAbsent(label, k -> index.size());
        }
        return new Labels(new ArrayList<>(index.keySet()), codes);
    }

    private static int column(String[] header, int fallback, String... names) {
        for (int c = 0; c < header.length; c++) {
            String h = header[c].strip().toLowerCase(Locale.ROOT);
            for (String n : names) {
                if (h.equals(n)) {
                    return c;
                }
            }
        }
        return fallback;
    }
}
