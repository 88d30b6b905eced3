package org.gwembed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
}
