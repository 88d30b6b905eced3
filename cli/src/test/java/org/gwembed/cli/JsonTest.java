package org.gwembed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesNonFiniteNumbersAsNullAndEscapesStrings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nan", Double.NaN);
        m.put("inf", Double.POSITIVE_INFINITY);
        m.put("small", 1e-300);
        m.put("negZero", -0.0);
        m.put("text", "quote \" backslash \\ newline \n tab \t bell \u0007 unicode λ ζ₁ \u2028");
        m.put("list", List.of(1, 2.5, "x"));
        m.put("array", new double[] {1.5, Double.NaN});
        m.put("ints", new int[] {3, 4});
        m.put("empty", Map.of());
        m.put("enum", Thread.State.NEW);
        m.put("nothing", null);
        String text = Json.write(m);
        Map<String, Object> back = MiniJson.object(MiniJson.parse(text));
        assertNull(back.get("nan"));
        assertNull(back.get("inf"));
        assertEquals(1e-300, back.get("small"));
        assertEquals(-0.0, back.get("negZero"));
        assertEquals(m.get("text"), back.get("text"));
        assertEquals(List.of(1.0, 2.5, "x"), back.get("list"));
        assertEquals(Arrays.asList(1.5, null), back.get("array"));
        assertEquals(List.of(3.0, 4.0), back.get("ints"));
        assertEquals(Map.of(), back.get("empty"));
        assertEquals("NEW", back.get("enum"));
        assertNull(back.get("nothing"));
    }

    @Test
    void doublesRoundTripExactly() {
        double[] values = {0.1, 1.0 / 3, 6e-4, 123456789.123, -2.5e-12, Double.MIN_VALUE, Double.MAX_VALUE};
        List<Object> back = MiniJson.array(MiniJson.parse(Json.write(values)));
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], (Double) back.get(i), 0.0);
        }
    }

    /**
     * The layout and number forms are those of the hand-rolled writer that Jackson's generator replaced:
     * {@code json-layout.json} was written by that writer (commit 5aba4f7) from {@link #everyKind()}.
     */
    @Test
    void layoutAndNumberFormsAreTheDocumentedOnes() throws IOException {
        String expected;
        try (InputStream in = JsonTest.class.getResourceAsStream("json-layout.json")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(expected, Json.write(everyKind()));
        assertEquals("[0.1, 0.3333333333333333]\n", Json.write(new double[] {0.1, 1.0 / 3}));
        assertEquals("[]\n", Json.write(List.of()));
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("whole", 50.0);
        numbers.put("count", 50);
        assertEquals("{\n  \"whole\": 50.0,\n  \"count\": 50\n}\n", Json.write(numbers));
    }

    /** A value of every kind the writer takes, nested. */
    static Map<String, Object> everyKind() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nan", Double.NaN);
        m.put("inf", Double.NEGATIVE_INFINITY);
        m.put("small", 1e-300);
        m.put("relative", 6e-4);
        m.put("whole", 50.0);
        m.put("big", 1e20);
        m.put("negZero", -0.0);
        m.put("float", 0.1f);
        m.put("int", 3);
        m.put("long", 12345678901L);
        m.put("true", true);
        m.put("text", "quote \" backslash \\ slash / newline \n cr \r tab \t bs \b ff \f bell \u0007 us \u001f del "
                + "\u007f \u03bb \u03b6\u2081 \u2028 \u2029 end");
        m.put("list", List.of(1, 2.5, "x"));
        m.put("nestedList", List.of(List.of(), Map.of(), List.of(1.0)));
        m.put("maps", List.of(Map.of("a", 1), new LinkedHashMap<>(Map.of("b", new double[] {1.5, Double.NaN}))));
        m.put("array", new double[] {1.5, Double.NaN, 2.0});
        m.put("emptyArray", new double[0]);
        m.put("ints", new int[] {3, 4});
        m.put("longs", new long[] {5L});
        m.put("objects", new Object[] {"a", null, 1.0});
        m.put("empty", Map.of());
        m.put("emptyList", List.of());
        m.put("enum", Thread.State.NEW);
        m.put("nothing", null);
        Map<String, Object> deep = new LinkedHashMap<>();
        deep.put("x", Map.of("y", List.of(Map.of("z", 1))));
        m.put("deep", deep);
        return m;
    }
}
