package io.membercenter.traffic;

/** Which traffic a caller sends; ORDER is protected first, MARKETING is shed first. */
public enum TrafficClass {
    ORDER,
    MARKETING,
    DEFAULT
}
