package org.gwembed.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VersionTest {

    /** Outside a jar the version comes from the filtered version.properties: a Maven version, not the placeholder. */
    @Test
    void theVersionIsTheBuildsProjectVersion() {
        String v = Version.get();
        assertTrue(v.matches("\\d+\\.\\d+\\.\\d+(-[A-Za-z0-9.]+)?"), v);
    }
}
