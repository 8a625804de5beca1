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
#include <libxml/SAX2.h>
#include <string.h>

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

/// The attributes MedRef reads (main-content rules, metadata, tables). Pages carry dozens more per element
/// (`data-*`, `onclick`, `srcset`...); libxml2 never builds nodes for them.
static inline int medref_keeps_attribute(const xmlChar *name) {
  static const char *const kept[] = {
    "class", "id", "style", "hidden", "aria-hidden", "itemprop", "itemtype", "type", "lang", "rel", "href",
    "property", "name", "content", "role", "datetime", "colspan", "rowspan", NULL
  };
  for (int index = 0; kept[index] != NULL; index++) {
    if ((name[0] | 0x20) == kept[index][0] && xmlStrcasecmp(name, (const xmlChar *)kept[index]) == 0) return 1;
  }
  return 0;
}

static void medref_start_element(void *context, const xmlChar *name, const xmlChar **attributes) {
  const xmlChar *kept[66];
  int count = 0;
  if (attributes != NULL) {
    for (int index = 0; attributes[index] != NULL && count < 64; index += 2) {
      if (medref_keeps_attribute(attributes[index])) {
        kept[count++] = attributes[index];
        kept[count++] = attributes[index + 1];
      }
    }
  }
  kept[count] = NULL;
  kept[count + 1] = NULL;
  xmlSAX2StartElement(context, name, count > 0 ? kept : NULL);
}

/// `htmlReadMemory` whose tree keeps only the attributes MedRef reads. The caller frees the document.
static inline htmlDocPtr medref_html_read_memory(const char *buffer, int size, const char *encoding, int options) {
  htmlParserCtxtPtr context = htmlNewParserCtxt();
  if (context == NULL) return NULL;
  context->sax->startElement = medref_start_element;
  htmlDocPtr document = htmlCtxtReadMemory(context, buffer, size, NULL, encoding, options);
  htmlFreeParserCtxt(context);
  return document;
}

#endif
