/** The local two-data-center topology: real servers started as child processes. */
package io.membercenter.topology;
