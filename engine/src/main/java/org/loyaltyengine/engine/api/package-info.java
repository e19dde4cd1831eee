/**
 * The HTTP contract of API.md: thin JAX-RS resources that validate their request records, call one application
 * service and return its answer; one access filter deciding who may call what; and the mappers that turn every
 * refusal and failure into the contract's error shape.
 */
package org.loyaltyengine.engine.api;
