package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parallel text reader against {@code Double.parseDouble} of the same strings, on files cut into many blocks:
 * every number format NumPy, pandas and Java write, CRLF, CR and LF line ends, blank and comment lines between
 * blocks, any thread count; problems reported at the first offending line of the file, whichever block holds it.
 */
class DelimitedTextTest {

    @TempDir
    Path dir;

    private static final String[] LINE_ENDS = {"\n", "\r\n", "\r"};

    /** A rows × cols table as text, with its values as Double.parseDouble reads them. */
    private record Written(String text, double[] values, int[] lineOfRow) {
    }

    private static Written table(int rows, int cols, String delimiter, String end, SplittableRandom rng) {
        StringBuilder sb = new StringBuilder("# a comment first").append(end);
        double[] values = new double[rows * cols];
        int[] lineOfRow = new int[rows];
        int line = 1;
        for (int r = 0; r < rows; r++) {
            if (rng.nextInt(50) == 0) {
                sb.append(rng.nextBoolean() ? "   " : "  # between rows").append(end);
                line++;
            }
            for (int c = 0; c < cols; c++) {
                double v = (rng.nextDouble() - 0.2) * Math.pow(10, rng.nextInt(-30, 30));
                String s = switch (rng.nextInt(5)) {
                    case 0 -> Double.toString(v);
                    case 1 -> String.format(Locale.ROOT, "%.18e", v);
                    case 2 -> String.format(Locale.ROOT, "%.6f", v);
                    case 3 -> Integer.toString(rng.nextInt(-1000, 1000));
                    default -> String.format(Locale.ROOT, "%.17g", v);
                };
                values[r * cols + c] = Double.parseDouble(s);
                sb.append(c > 0 ? delimiter : "").append(rng.nextInt(10) == 0 ? " " + s + " " : s);
            }
            sb.append(end);
            line++;
            lineOfRow[r] = line;
        }
        return new Written(sb.toString(), values, lineOfRow);
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void manyBlocksReadBitForBitWithAnyThreadCountAndLineEnd() throws IOException {
        SplittableRandom rng = new SplittableRandom(4);
        for (String end : LINE_ENDS) {
            for (String delimiter : new String[] {",", "\t", " "}) {
                Written w = table(900, 13, delimiter, end, rng);
                Path p = write("t.csv", w.text());
                for (int threads : new int[] {1, 2, 5}) {
                    Tables.Table t = Tables.readDelimited(p, threads);
                    String what = "delimiter '" + delimiter + "', end " + end.replace("\r", "CR").replace("\n", "LF")
                            + ", " + threads + " threads";
                    assertEquals(900, t.rows(), what);
                    assertEquals(13, t.columns(), what);
                    assertArrayEquals(w.values(), t.values().data, 0.0, what);
                }
            }
        }
    }

    @Test
    void theFirstProblemOfTheFileIsReportedWithItsLineWhicheverBlockHoldsIt() throws IOException {
        SplittableRandom rng = new SplittableRandom(9);
        Written w = table(2000, 8, ",", "\r\n", rng);
        String[] lines = w.text().split("\r\n", -1);
        int late = w.lineOfRow()[1700];
        int early = w.lineOfRow()[1200];
        lines[late - 1] = lines[late - 1].replaceFirst(",", ",x");
        lines[early - 1] = lines[early - 1] + ",7";
        Path p = write("bad.csv", String.join("\r\n", lines));
        for (int threads : new int[] {1, 3}) {
            InputFormatException e = assertThrows(InputFormatException.class, () -> Tables.readDelimited(p, threads));
            assertTrue(e.getMessage().contains("bad.csv:" + early + ": row has 9 fields, expected 8 (as on line 2),"
                    + " comma-separated"), e.getMessage());
        }
        lines[early - 1] = lines[early - 1].substring(0, lines[early - 1].length() - 2);
        Path q = write("bad2.csv", String.join("\r\n", lines));
        InputFormatException e = assertThrows(InputFormatException.class, () -> Tables.readDelimited(q, 4));
        assertTrue(e.getMessage().contains("bad2.csv:" + late + ": column 2: 'x"), e.getMessage());
    }

    @Test
    void theSyntaxIsTheReadersNotJavas() throws IOException {
        // Java's parser takes hexadecimal, type suffixes and words the text reader must refuse
        for (String bad : List.of("0x1p3", "1d", "2f", "NaNx", "Infinit", "1e", "e5", "+", ".", "1..2", "--1", "1e+")) {
            Path p = write("b.csv", "1,2\n1," + bad + "\n");
            InputFormatException e = assertThrows(InputFormatException.class, () -> Tables.read(p), bad);
            assertTrue(e.getMessage().contains("column 2: '" + bad + "' is not a number"), e.getMessage());
        }
        Path ok = write("ok.csv", "nan,-Inf,+infinity,.5,5.,-0,1E+2,NAN\n");
        double[] v = Tables.read(ok).values().data;
        assertArrayEquals(new double[] {Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0.5, 5, -0.0,
            100, Double.NaN}, v, 0.0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(v[5]), "negative zero kept");
    }

    @Test
    void aHeaderAfterABomAndCommentsAndNoDataRows() throws IOException {
        Path p = write("h.csv", "\uFEFF# c\n\n\"a\",b\n1,2\n3,4\n");
        Tables.Table t = Tables.read(p);
        assertEquals(List.of("a", "b"), t.header());
        assertArrayEquals(new double[] {1, 2, 3, 4}, t.values().data, 0.0);
        Path only = write("only.csv", "a,b\n\n\n");
        InputFormatException e = assertThrows(InputFormatException.class, () -> Tables.read(only));
        assertTrue(e.getMessage().contains("only.csv:3: no data rows after the header"), e.getMessage());
        Path blank = write("blank.csv", "\n# x\n  \n");
        InputFormatException b = assertThrows(InputFormatException.class, () -> Tables.read(blank));
        assertTrue(b.getMessage().contains("blank.csv:3: no data rows (the file is empty"), b.getMessage());
        Path binary = dir.resolve("bin.csv");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '\n'});
        assertTrue(assertThrows(InputFormatException.class, () -> Tables.read(binary)).getMessage()
                .contains("not a UTF-8 text file"));
    }
}
