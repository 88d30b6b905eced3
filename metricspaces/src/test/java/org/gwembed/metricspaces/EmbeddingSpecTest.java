package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmbeddingSpecTest {

    @Test
    void specsBuildTheNamedSpacesAtTheRequestedScale() {
        assertEquals(400, assertInstanceOf(PlaneGrid.class, EmbeddingSpaces.parse("plane:20")).size());
        assertEquals(1.3, EmbeddingSpaces.parse("plane:20").maxDistance(), 1e-12);
        assertEquals(901, assertInstanceOf(SphereGrid.class, EmbeddingSpaces.parse("sphere:30", 1.0)).size());
        assertEquals(1.0, EmbeddingSpaces.parse("sphere:30", 1.0).maxDistance(), 1e-12);
        assertEquals(100, assertInstanceOf(FlatTorusGrid.class, EmbeddingSpaces.parse("Torus:10")).size());
        EmbeddedTorusGrid t = assertInstanceOf(EmbeddedTorusGrid.class, EmbeddingSpaces.parse("torus-embedded:8:2:0.5"));
        assertEquals(2.0, t.majorRadius());
        assertEquals(0.5, t.minorRadius());
        assertEquals(0.2, ((EmbeddedTorusGrid) EmbeddingSpaces.parse("torus-embedded:8")).minorRadius());
        MetricSpace g = EmbeddingSpaces.parse("gaussians:4:0.02");
        assertEquals(192, assertInstanceOf(GaussianSpace.class, g).size());
        assertEquals(1.3, g.maxDistance(), 1e-12);
        assertEquals(360, assertInstanceOf(CircleSpace.class, EmbeddingSpaces.parse("circle:360")).size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "cube:3", "plane", "plane:x", "plane:3:4", "plane:1", "sphere:-2", "gaussians:3:-1",
        "torus-embedded:8:1", "torus-embedded:8:0.1:1"})
    void badSpecsNameTheSpecAndTheExpectedForms(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmbeddingSpaces.parse(spec));
        assertTrue(e.getMessage().contains("'" + spec + "'") && e.getMessage().contains("plane:N"), e.getMessage());
    }
}
