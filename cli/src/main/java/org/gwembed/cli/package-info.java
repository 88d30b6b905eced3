/**
 * The {@code gwembed} command line and the paper's worked examples. The only package that writes to stdout/stderr.
 */
package org.gwembed.cli;
