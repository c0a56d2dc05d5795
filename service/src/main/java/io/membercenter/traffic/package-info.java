/**
 * Who is calling and how much they may send: the caller registry (API keys stored as SHA-256
 * hashes, scopes, traffic class) and, in later steps, flow control per caller, per hot key and per
 * traffic class. A request passes: body limit, authentication here, then the endpoint's scope check,
 * then routing to the stores.
 */
package io.membercenter.traffic;
