package org.gwembed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.AtomicFiles;
import org.gwembed.metricspaces.Tables;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus of issue 17: every case of {@code bad-inputs/cases.tsv} (its header says the format) run
 * through the command line in process. A rejected case must exit 2 with exactly one line on stderr holding the
 * expected words (the argument, the value, what was expected) and no stack trace; an accepted case must exit 0 and
 * write no NaN anywhere.
 */
class BadInputCorpusTest {

    private static final String CASES = "/bad-inputs/cases.tsv";
    private static final String FILES = "/bad-inputs/files";

    @TempDir
    static Path dir;

    /** One line of the corpus. */
    record Case(String id, int exit, List<String> words, List<String> files, String arguments) {
        @Override
        public String toString() {
            return id;
        }
    }

    /** Inputs the test makes, by name (binary files and things that are not plain files). */
    static final Map<String, Consumer<Path>> RECIPES = recipes();

    @BeforeAll
    static void inputs() throws IOException, URISyntaxException {
        Path source = Path.of(Objects.requireNonNull(BadInputCorpusTest.class.getResource(FILES)).toURI());
        try (Stream<Path> s = Files.walk(source)) { // folders too: the 10x Matrix Market inputs
            for (Path p : (Iterable<Path>) s::iterator) {
                if (!p.equals(source)) {
                    Files.copy(p, dir.resolve(source.relativize(p).toString()));
                }
            }
        }
        for (Map.Entry<String, Consumer<Path>> r : RECIPES.entrySet()) {
            r.getValue().accept(dir.resolve(r.getKey()));
        }
    }

    static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        try (InputStream in = Objects.requireNonNull(BadInputCorpusTest.class.getResourceAsStream(CASES));
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 5) {
                    throw new IllegalStateException("cases.tsv: expected 5 tab-separated fields: " + line);
                }
                out.add(new Case(f[0], Integer.parseInt(f[1]), Arrays.asList(f[2].split(";")),
                        f[3].equals("-") ? List.of() : Arrays.asList(f[3].split(",")), f[4]));
            }
        }
        return out;
    }

    @Test
    void theCorpusIsLargeAndCoversEveryCommand() throws IOException {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 60, "cases: " + cases.size());
        Map<String, Integer> perCommand = new LinkedHashMap<>();
        for (Case c : cases) {
            perCommand.merge(c.arguments().split(" ")[0], 1, Integer::sum);
        }
        for (String command : List.of("embed", "gw", "align", "gmm", "examples", "info")) {
            assertTrue(perCommand.getOrDefault(command, 0) > 0, "no case for " + command + ": " + perCommand);
        }
        assertEquals(cases.size(), cases.stream().map(Case::id).distinct().count(), "ids must be unique");
    }

    /**
     * An input without read permission and an output directory without write permission (not in the corpus: to
     * root, which CI containers often run as, every file is readable and writable, so this is skipped there; checked
     * by hand as nobody: "cannot read: permission denied", "output directory ... is not writable").
     */
    @Test
    void anUnreadableInputIsBadInput() throws IOException {
        for (String name : List.of("dist-ok.csv", "mesh-ok.obj", "dist-ok.npy")) {
            Path f = dir.resolve("unreadable-" + name);
            Files.copy(dir.resolve(name), f);
            assertTrue(f.toFile().setReadable(false, false));
            Assumptions.assumeFalse(Files.isReadable(f), "every file is readable to this user (root?)");
            String option = name.endsWith(".obj") ? "--source" : "--source-distances";
            String line = CliRunner.assertBadInput(CliRunner.run("embed", option, f.toString(), "--target-distances",
                    dir.resolve("dist-ok.csv").toString(), "--space", "plane:4", "--outer-iterations", "1",
                    "--threads", "1", "-q", "--out", dir.resolve("out/unreadable").toString()));
            assertTrue(line.contains(f.getFileName().toString()) && line.contains("permission denied"), line);
        }
        Path readOnly = Files.createDirectories(dir.resolve("read-only"));
        assertTrue(readOnly.toFile().setWritable(false, false));
        String line = CliRunner.assertBadInput(CliRunner.run("gw", "--x-distances", dir.resolve("dist-ok.csv")
                .toString(), "--y-distances", dir.resolve("dist-ok.csv").toString(), "--out", readOnly.toString()));
        assertTrue(line.contains("read-only") && line.contains("not writable"), line);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void runs(Case c) throws IOException {
        Path out = dir.resolve("out").resolve(c.id());
        List<String> args = new ArrayList<>();
        for (String a : c.arguments().split(" ")) {
            String s = a.replace("{out}", out.toString());
            if (s.startsWith("@")) {
                String name = s.substring(1);
                String file = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
                assertTrue(file.startsWith("missing-") == !Files.exists(dir.resolve(file)),
                        () -> c.id() + ": input " + file + (file.startsWith("missing-") ? " exists" : " is missing"));
                s = dir.resolve(name).toString();
            }
            args.add(s);
        }
        for (String f : c.files()) {
            assertTrue(Files.exists(dir.resolve(f)), () -> c.id() + ": its input " + f + " is missing");
        }
        CliRunner.Outcome o = CliRunner.run(args.toArray(String[]::new));
        if (c.exit() == 0) {
            assertEquals(0, o.code(), o::toString);
            for (String w : c.words()) {
                assertTrue(o.out().toLowerCase(Locale.ROOT).contains(w.toLowerCase(Locale.ROOT)),
                        () -> c.id() + ": stdout lacks '" + w + "': " + o);
            }
            assertFalse(o.out().contains("NaN"), () -> c.id() + ": NaN on stdout: " + o);
            if (Files.isDirectory(out)) {
                assertNoNaN(out);
            }
        } else {
            String line = CliRunner.assertBadInput(o);
            if (Files.isDirectory(out)) {
                try (Stream<Path> s = Files.list(out)) {
                    assertTrue(s.noneMatch(p -> AtomicFiles.isTemporary(p.getFileName().toString())),
                            () -> c.id() + ": temporary files left in " + out);
                }
            }
            assertEquals(c.exit(), o.code(), o::toString);
            for (String w : c.words()) {
                assertTrue(line.toLowerCase(Locale.ROOT).contains(w.toLowerCase(Locale.ROOT)),
                        () -> c.id() + ": the message lacks '" + w + "': " + line);
            }
        }
    }

    private static final Pattern NULL_NUMBER = Pattern.compile(
            "\"(J|distance|squared|wasserstein|gw1|gw2|marginal_error|max_mass)\": null");

    /**
     * No NaN in any CSV, .npy or JSON file below {@code out} (JSON writes NaN as null), and no temporary file of an
     * unfinished write.
     */
    static void assertNoNaN(Path out) throws IOException {
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                assertFalse(AtomicFiles.isTemporary(name), p + " is a temporary file left behind");
                if (name.endsWith(".csv")) {
                    String text = Files.readString(p);
                    assertFalse(text.contains("NaN") || text.contains("Infinity"), p + " holds NaN or infinity");
                } else if (name.endsWith(".npy")) {
                    for (double v : Tables.read(p).values().data) {
                        assertTrue(Double.isFinite(v), p + " holds " + v);
                    }
                } else if (name.endsWith(".json")) {
                    String text = Files.readString(p);
                    assertFalse(NULL_NUMBER.matcher(text).find(), p + " has a non-finite result: " + text);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ recipes

    private static Map<String, Consumer<Path>> recipes() {
        Map<String, Consumer<Path>> m = new LinkedHashMap<>();
        m.put("dist-ok.npy", p -> npy(p, "<f8", false, "(6, 6)", f8(okDistances())));
        m.put("dist-f4.npy", p -> npy(p, "<f4", false, "(6, 6)", f4(okDistances())));
        m.put("dist-fortran.npy", p -> npy(p, "<f8", true, "(6, 6)", f8(transpose(okDistances()))));
        m.put("dist-truncated.npy", p -> {
            byte[] data = f8(okDistances());
            npy(p, "<f8", false, "(6, 6)", Arrays.copyOf(data, data.length - 13));
        });
        m.put("dist-big-endian.npy", p -> npy(p, ">f8", false, "(6, 6)", f8(okDistances())));
        m.put("dist-complex.npy", p -> npy(p, "<c16", false, "(6, 3)", f8(okDistances())));
        m.put("dist-3d.npy", p -> npy(p, "<f8", false, "(2, 3, 6)", f8(okDistances())));
        m.put("dist-nan.npy", p -> {
            double[] d = okDistances();
            d[1] = Double.NaN;
            d[6] = Double.NaN;
            npy(p, "<f8", false, "(6, 6)", f8(d));
        });
        m.put("dist-huge-shape.npy", p -> npy(p, "<f8", false, "(100000, 100000)", f8(okDistances())));
        m.put("not-npy.npy", p -> write(p, "0,1\n1,0\n".getBytes(StandardCharsets.US_ASCII)));
        m.put("dist.xlsx", p -> write(p, new byte[] {'P', 'K', 3, 4, 0, 0}));
        m.put("mesh-binary.ply", p -> write(p, binaryPly(9, gridVertices(), gridTriangles())));
        m.put("mesh-huge-binary.ply", p -> write(p, binaryPly(1_000_000_000, gridVertices(), gridTriangles())));
        m.put("adir.csv", p -> {
            try {
                Files.createDirectories(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        m.put("outfile", p -> write(p, "a regular file\n".getBytes(StandardCharsets.US_ASCII)));
        return m;
    }

    /** The 6 × 6 matrix of {@code dist-ok.csv}, row-major. */
    private static double[] okDistances() {
        try {
            Path p = Path.of(Objects.requireNonNull(BadInputCorpusTest.class.getResource(FILES + "/dist-ok.csv"))
                    .toURI());
            DMatrixRMaj d = Tables.read(p).values();
            return d.data.clone();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double[] transpose(double[] a) {
        int n = (int) Math.round(Math.sqrt(a.length));
        double[] t = new double[a.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                t[j * n + i] = a[i * n + j];
            }
        }
        return t;
    }

    private static byte[] f8(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : v) {
            b.putDouble(d);
        }
        return b.array();
    }

    private static byte[] f4(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : v) {
            b.putFloat((float) d);
        }
        return b.array();
    }

    /** A format-1.0 .npy file with the given header entries and raw data (not checked against them). */
    static byte[] npyBytes(String descr, boolean fortran, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': "
                + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return b.array();
    }

    private static void npy(Path p, String descr, boolean fortran, String shape, byte[] data) {
        write(p, npyBytes(descr, fortran, shape, data));
    }

    static double[] gridVertices() {
        double[] v = new double[27];
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 3; i++) {
                v[3 * (3 * j + i)] = i;
                v[3 * (3 * j + i) + 1] = j;
            }
        }
        return v;
    }

    static int[] gridTriangles() {
        List<Integer> t = new ArrayList<>();
        for (int j = 0; j < 2; j++) {
            for (int i = 0; i < 2; i++) {
                int a = 3 * j + i;
                t.addAll(List.of(a, a + 1, a + 4, a, a + 4, a + 3));
            }
        }
        return t.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A binary little-endian PLY (float x y z, uchar/int faces) whose header claims {@code claimedVertices}. */
    static byte[] binaryPly(int claimedVertices, double[] xyz, int[] tri) {
        String header = "ply\nformat binary_little_endian 1.0\ncomment made by BadInputCorpusTest\nelement vertex "
                + claimedVertices + "\nproperty float x\nproperty float y\nproperty float z\nelement face "
                + tri.length / 3 + "\nproperty list uchar int vertex_indices\nend_header\n";
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(h.length + 4 * xyz.length + 13 * (tri.length / 3))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(h);
        for (double v : xyz) {
            b.putFloat((float) v);
        }
        for (int t = 0; t < tri.length / 3; t++) {
            b.put((byte) 3).putInt(tri[3 * t]).putInt(tri[3 * t + 1]).putInt(tri[3 * t + 2]);
        }
        return b.array();
    }

    private static void write(Path p, byte[] bytes) {
        try {
            Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
