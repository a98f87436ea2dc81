/*
 * A stand-in for Windows' dhcpcsvc.dll, built as a shared library for Mono: DhcpCApiInitialize, DhcpRequestParams
 * and DhcpCApiCleanup with the layouts and contract of Microsoft's documentation (dhcpcsdk.h), so DhcpClientApi.cs
 * is run through the real P/Invoke marshalling. A call that breaks the contract aborts with the reason on stderr.
 *
 * Environment: FAKE_DHCP_ADAPTER  the one adapter name the DHCP client knows (others: ERROR_INVALID_PARAMETER)
 *              FAKE_DHCP_150, FAKE_DHCP_54  option data in hex; FAKE_DHCP_66  option data as text
 *              FAKE_DHCP_ERROR    Win32 error DhcpRequestParams returns for the known adapter (e.g. 121, a timeout)
 *              FAKE_DHCP_GROW     rounds in which the size needed grows by 8 bytes after it was announced
 *              FAKE_DHCP_INIT_ERROR  what DhcpCApiInitialize returns
 *              FAKE_DHCP_LOG      a file each call appends a line to
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  uint32_t Flags;
  uint32_t OptionId;
  int32_t IsVendor; /* BOOL */
  uint8_t *Data;
  uint32_t nBytesData;
} DHCPCAPI_PARAMS;

typedef struct {
  uint32_t nParams;
  DHCPCAPI_PARAMS *Params;
} DHCPCAPI_PARAMS_ARRAY;

#define ERROR_INVALID_PARAMETER 87u
#define ERROR_MORE_DATA 234u
#define DHCPCAPI_REQUEST_SYNCHRONOUS 2u

static int initialized;
static unsigned calls;

static void note(const char *fmt, unsigned a, unsigned b, unsigned c) {
  const char *path = getenv("FAKE_DHCP_LOG");
  if (!path) return;
  FILE *f = fopen(path, "a");
  if (!f) return;
  fprintf(f, fmt, a, b, c);
  fputc('\n', f);
  fclose(f);
}

static void broken(const char *why) {
  fprintf(stderr, "fake dhcpcsvc: contract broken: %s\n", why);
  abort();
}

static unsigned envNumber(const char *name) {
  const char *v = getenv(name);
  return v ? (unsigned)strtoul(v, NULL, 10) : 0;
}

/* Option data from the environment into out (at most max bytes); returns its length. */
static uint32_t optionData(uint32_t id, uint8_t *out, uint32_t max) {
  char name[32];
  snprintf(name, sizeof name, "FAKE_DHCP_%u", id);
  const char *v = getenv(name);
  if (!v) return 0;
  if (id == 66) {
    uint32_t n = (uint32_t)strlen(v);
    if (n > max) n = max;
    memcpy(out, v, n);
    return n;
  }
  uint32_t n = 0;
  for (; v[0] && v[1] && n < max; v += 2) {
    char byte[3] = {v[0], v[1], 0};
    out[n++] = (uint8_t)strtoul(byte, NULL, 16);
  }
  return n;
}

uint32_t DhcpCApiInitialize(uint32_t *version) {
  if (!version) broken("DhcpCApiInitialize without a version pointer");
  uint32_t error = envNumber("FAKE_DHCP_INIT_ERROR");
  note("init -> %u", error, 0, 0);
  if (error) return error;
  *version = 2;
  initialized = 1;
  return 0;
}

void DhcpCApiCleanup(void) {
  if (!initialized) broken("DhcpCApiCleanup without a successful DhcpCApiInitialize");
  initialized = 0;
  note("cleanup", 0, 0, 0);
}

uint32_t DhcpRequestParams(uint32_t flags, void *reserved, const uint16_t *adapterName, void *classId, DHCPCAPI_PARAMS_ARRAY sendParams,
                           DHCPCAPI_PARAMS_ARRAY recdParams, uint8_t *buffer, uint32_t *pSize, const uint16_t *requestIdStr) {
  if (!initialized) broken("DhcpRequestParams before DhcpCApiInitialize");
  if (flags != DHCPCAPI_REQUEST_SYNCHRONOUS) broken("Flags is not DHCPCAPI_REQUEST_SYNCHRONOUS");
  if (reserved) broken("Reserved is not NULL");
  if (classId) broken("a ClassId was given");
  if (requestIdStr) broken("a RequestIdStr was given to a request that is not persistent");
  if (sendParams.nParams != 0) broken("SendParams is not empty");
  if (!adapterName) broken("AdapterName is NULL");
  if (!pSize || !buffer) broken("no buffer or size");
  if (recdParams.nParams == 0 || !recdParams.Params) broken("RecdParams is empty");

  /* The adapter name is UTF-16 (LPWSTR), as CharSet.Unicode marshals it. */
  char name[256];
  size_t len = 0;
  for (; adapterName[len]; len++) {
    if (len >= 255) return ERROR_INVALID_PARAMETER;
    name[len] = adapterName[len] < 128 ? (char)adapterName[len] : '?';
  }
  name[len] = 0;
  const char *known = getenv("FAKE_DHCP_ADAPTER");
  unsigned given = *pSize;
  if (!known || strcmp(name, known) != 0) {
    note("request size=%u -> %u (unknown adapter)", given, ERROR_INVALID_PARAMETER, 0);
    return ERROR_INVALID_PARAMETER;
  }
  uint32_t error = envNumber("FAKE_DHCP_ERROR");
  if (error) {
    note("request size=%u -> %u", given, error, 0);
    return error;
  }

  uint8_t data[4096];
  uint32_t at[16], lengths[16], needed = 0;
  if (recdParams.nParams > 16) broken("more RecdParams than this stand-in takes");
  for (uint32_t i = 0; i < recdParams.nParams; i++) {
    DHCPCAPI_PARAMS *p = &recdParams.Params[i];
    if (p->Flags != 0 || p->IsVendor != 0 || p->Data != NULL || p->nBytesData != 0) broken("a RecdParams entry is not empty before the call");
    at[i] = needed;
    lengths[i] = optionData(p->OptionId, data + needed, (uint32_t)sizeof data - needed);
    needed += lengths[i];
  }
  unsigned grow = envNumber("FAKE_DHCP_GROW");
  needed += 8 * (calls < grow ? calls : grow);
  calls++;
  if (given < needed) {
    *pSize = needed;
    note("request size=%u -> %u needed=%u", given, ERROR_MORE_DATA, needed);
    return ERROR_MORE_DATA;
  }
  memcpy(buffer, data, needed > sizeof data ? sizeof data : needed);
  for (uint32_t i = 0; i < recdParams.nParams; i++) {
    recdParams.Params[i].Data = lengths[i] ? buffer + at[i] : NULL;
    recdParams.Params[i].nBytesData = lengths[i];
  }
  *pSize = needed;
  note("request size=%u -> %u used=%u", given, 0, needed);
  return 0;
}
