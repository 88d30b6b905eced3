package org.gwembed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import javax.imageio.ImageIO;

/** Runs the command line in-process and checks its outputs. */
final class CliRunner {

    private CliRunner() {
    }

    /** Exit code and captured streams. */
    record Outcome(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Gwembed.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    /** Exit 2 and exactly one readable line on stderr, no stack trace; returns that line. */
    static String assertBadInput(Outcome o) {
        assertEquals(2, o.code(), o::toString);
        String err = o.err().strip();
        assertFalse(err.isEmpty(), o::toString);
        assertEquals(1, err.lines().count(), () -> "expected one line on stderr: " + o);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), () -> "stack trace or class name: " + o);
        return err;
    }

    static Map<String, Object> json(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " missing");
        return MiniJson.object(MiniJson.parse(Files.readString(file, StandardCharsets.UTF_8)));
    }

    /** The PNG exists, is at least 200x200 and not blank (pixel values vary). */
    static void assertPicture(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " missing");
        BufferedImage im = ImageIO.read(file.toFile());
        assertTrue(im != null, file + " is not a readable image");
        assertTrue(im.getWidth() >= 200 && im.getHeight() >= 200, file + " is " + im.getWidth() + "x"
                + im.getHeight());
        double sum = 0;
        double sum2 = 0;
        long count = 0;
        long dark = 0;
        for (int yy = 0; yy < im.getHeight(); yy += 2) {
            for (int xx = 0; xx < im.getWidth(); xx += 2) {
                int rgb = im.getRGB(xx, yy);
                double lum = 0.299 * ((rgb >> 16) & 255) + 0.587 * ((rgb >> 8) & 255) + 0.114 * (rgb & 255);
                sum += lum;
                sum2 += lum * lum;
                count++;
                if (lum < 200) {
                    dark++;
                }
            }
        }
        double var = sum2 / count - (sum / count) * (sum / count);
        assertTrue(var > 50, file + " looks blank: luminance variance " + var);
        assertTrue(dark > 100, file + " has almost nothing drawn: " + dark + " non-white samples");
    }

    @SuppressWarnings("unchecked")
    static Object at(Map<String, Object> m, String... keys) {
        Object v = m;
        for (String k : keys) {
            assertTrue(v instanceof Map && ((Map<String, Object>) v).containsKey(k), () -> "missing key " + k
                    + " in " + m.keySet());
            v = ((Map<String, Object>) v).get(k);
        }
        return v;
    }

    static double number(Map<String, Object> m, String... keys) {
        Object v = at(m, keys);
        assertTrue(v instanceof Double, () -> String.join(".", keys) + " is not a number: " + v);
        return (Double) v;
    }
}
