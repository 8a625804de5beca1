#ifndef MEDREF_CLIBXML2_SHIM_H
#define MEDREF_CLIBXML2_SHIM_H

// Debian's libxml2 headers pull in the system ICU headers, which clash with the toolchain's _FoundationICU in any
// module that also loads Foundation. Read the version header first and switch ICU off before anything else.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

static void medref_xml_silent_generic(void *context, const char *message, ...) {
  (void)context;
  (void)message;
}

static void medref_xml_silent_structured(void *context, xmlErrorPtr error) {
  (void)context;
  (void)error;
}

/// Initialises libxml2. Call it once, before any thread parses (it is not safe to run concurrently).
static inline void medref_xml_initialise(void) {
  xmlInitParser();
}

/// Silences libxml2's error output on the calling thread (handlers are per thread).
static inline void medref_xml_prepare_thread(void) {
  xmlSetGenericErrorFunc(NULL, medref_xml_silent_generic);
  xmlSetStructuredErrorFunc(NULL, medref_xml_silent_structured);
}

/// `xmlFree` is a global function pointer variable, which Swift 6 rejects as not concurrency-safe.
static inline void medref_xml_free(void *pointer) {
  xmlFree(pointer);
}

#endif
