#!/usr/bin/env node
// Checks the responses a test suite received against an OpenAPI 3.0 document, and the document
// against rules the code follows on every operation.
//
// Usage: node tests/tools/openapi-responses.js SPEC.yaml LOG.jsonl
//
// LOG holds one exchange a line, as tests/support/raw_http.h writes it: {"method", "target",
// "status", "headers" (lower-cased names), "body"}. Each exchange is matched to a path template
// and method of SPEC and must have a documented status and, when the response documents content,
// one of its media types. A JSON body must validate against the response's schema, where every
// object schema is closed: a property it does not list fails unless the schema says
// `additionalProperties` itself (the way to document a map). Other bodies are checked for status
// and media type only. Answers that are not an operation's are accepted only as the service gives
// them to any request: 404 not_found for a path no template matches, 405 method_not_allowed for a
// method the path lacks, 204 for OPTIONS, and the protocol errors the document lists under
// `x-protocol-errors` (status and error code), each with the Error schema's body.
//
// The document itself must give every operation an operationId, 304 on every GET (the service
// ETags every successful GET), 401 on every operation with security, 400 and 415 on every
// operation with a request body; and where the log holds GET /v1 (the service's index of its
// routes with the scope each needs), the routes must be the documented operations, public routes
// must have `security: []`, and exactly the write and admin routes document 403.
//
// Prints a summary (exchanges, operations and statuses covered, operations never exercised) and
// every failure with its operation, status and JSON pointer; identical failures are counted once
// with their first example. Exits 0 when nothing failed, 1 when something did, 2 on bad usage or
// an unreadable input.
'use strict';

const fs = require('fs');
const SwaggerParser = require('@apidevtools/swagger-parser');
const Ajv2019 = require('ajv/dist/2019').default;
const addFormats = require('ajv-formats').default;

const kMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
// Keywords of OpenAPI's Schema Object that JSON Schema does not have, or that only annotate.
const kDropped = new Set(['nullable', 'example', 'xml', 'externalDocs', 'discriminator',
                          'deprecated', 'exclusiveMinimum', 'exclusiveMaximum']);

// OpenAPI 3.0 `schema` as JSON Schema 2019-09 for Ajv. Object schemas are closed with
// `unevaluatedProperties: false` unless they say `additionalProperties`. The branches of an allOf
// are left open and the schema holding them is closed instead, so that the properties of every
// branch count as documented. A branch of oneOf or anyOf is closed on its own (each is a whole
// alternative), unless the schema holding it lists properties too: then that schema is closed and
// its branches are open. (unevaluatedProperties ignores values that are not objects.)
function ToJsonSchema(schema, open = false) {
  if (Array.isArray(schema)) return schema.map((item) => ToJsonSchema(item));
  if (schema === null || typeof schema !== 'object') return schema;
  const ownProperties = schema.type === 'object' || 'properties' in schema;
  const result = {};
  for (const [key, value] of Object.entries(schema)) {
    if (kDropped.has(key) || key.startsWith('x-')) continue;
    if (key === 'properties') {
      result.properties = {};
      for (const [name, property] of Object.entries(value)) {
        result.properties[name] = ToJsonSchema(property);
      }
    } else if (key === 'allOf') {
      result[key] = value.map((item) => ToJsonSchema(item, true));
    } else if (key === 'oneOf' || key === 'anyOf') {
      result[key] = value.map((item) => ToJsonSchema(item, ownProperties));
    } else if (key === 'items' || key === 'not' || key === 'additionalProperties') {
      result[key] = ToJsonSchema(value);
    } else {
      result[key] = value;
    }
  }
  // OpenAPI 3.0's boolean exclusive bounds are JSON Schema's numeric ones.
  if (schema.exclusiveMinimum === true && 'minimum' in schema) {
    delete result.minimum;
    result.exclusiveMinimum = schema.minimum;
  }
  if (schema.exclusiveMaximum === true && 'maximum' in schema) {
    delete result.maximum;
    result.exclusiveMaximum = schema.maximum;
  }
  const closes = ownProperties || 'allOf' in schema;
  if (closes && !open && !('additionalProperties' in schema)) {
    result.unevaluatedProperties = false;
  }
  if (schema.nullable !== true) return result;
  if (typeof result.type === 'string') {
    result.type = [result.type, 'null'];
    if (Array.isArray(result.enum) && !result.enum.includes(null)) result.enum.push(null);
    return result;
  }
  return {anyOf: [{type: 'null'}, result]};
}

// A path template as a regular expression; a parameter matches one segment.
function TemplatePattern(template) {
  const escaped = template.split(/\{[^}]+\}/)
                      .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp('^' + escaped.join('[^/]+') + '$');
}

function MediaType(contentType) {
  return (contentType || '').split(';')[0].trim().toLowerCase();
}

function IsJson(mediaType) {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

// Reads the log: one exchange a line. Throws naming the line that is not an exchange.
function ReadLog(path) {
  const exchanges = [];
  const lines = fs.readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let exchange;
    try {
      exchange = JSON.parse(line);
    } catch (error) {
      throw new Error(`${path} line ${index + 1}: not JSON (${error.message})`);
    }
    if (typeof exchange.method !== 'string' || typeof exchange.target !== 'string' ||
        !Number.isInteger(exchange.status) || typeof exchange.body !== 'string' ||
        typeof exchange.headers !== 'object') {
      throw new Error(`${path} line ${index + 1}: not an exchange {method, target, status, ` +
                      `headers, body}`);
    }
    exchanges.push(exchange);
  });
  return exchanges;
}

// Ajv's `errors` with each failed oneOf/anyOf reduced to the errors of its nearest branch: one whose
// type and required members the value has, with the fewest errors once its own oneOf/anyOf are
// reduced so. A value that is almost one alternative is reported as that alternative's defects,
// not as every alternative's.
function NearestBranchErrors(errors) {
  const branchOf = (error, prefix) => error.schemaPath.slice(prefix.length).split('/')[0];
  const composition = errors
      .filter((e) => (e.keyword === 'anyOf' || e.keyword === 'oneOf') &&
                     errors.some((other) => other.schemaPath.startsWith(e.schemaPath + '/')))
      .sort((a, b) => a.schemaPath.length - b.schemaPath.length)[0];
  if (!composition) return errors;  // (a oneOf that matched several branches keeps its own error)
  const prefix = composition.schemaPath + '/';
  const branches = new Map();  // branch index -> its errors
  const outside = [];
  for (const error of errors) {
    if (error === composition) continue;
    if (!error.schemaPath.startsWith(prefix)) {
      outside.push(error);
      continue;
    }
    const branch = branchOf(error, prefix);
    if (!branches.has(branch)) branches.set(branch, []);
    branches.get(branch).push(error);
  }
  // A branch whose type or required members the value lacks is farther than any other.
  const distance = (branchErrors) => [
    branchErrors.some((e) => (e.keyword === 'type' || e.keyword === 'required') &&
                             e.instancePath === composition.instancePath) ? 1 : 0,
    branchErrors.length];
  const nearest = [...branches.values()].map(NearestBranchErrors).reduce((best, candidate) => {
    const [a, b] = [distance(candidate), distance(best)];
    return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]) ? candidate : best;
  });
  return NearestBranchErrors(outside).concat(nearest);
}

class Checker {
  constructor(spec) {
    this.spec = spec;
    this.ajv = new Ajv2019({allErrors: true, strict: false});
    addFormats(this.ajv);
    this.validators = new Map();  // schema object -> compiled validator
    this.operations = [];         // {method, template, pattern, operation}
    for (const [template, item] of Object.entries(spec.paths)) {
      for (const method of kMethods) {
        if (item[method]) {
          this.operations.push({method, template, pattern: TemplatePattern(template),
                                operation: item[method]});
        }
      }
    }
    this.errorSchema = spec.components.schemas.Error;
    this.protocolErrors = new Map();  // status -> error code
    for (const entry of spec['x-protocol-errors'] || []) {
      this.protocolErrors.set(String(entry.status), entry.code);
    }
    this.failures = new Map();  // message -> {count, example}
    this.covered = new Map();   // "METHOD template" -> Set of statuses
    this.counts = {exchanges: 0, documented: 0, protocol: 0, unrouted: 0};
  }

  // Records a failure; `exchange` (null for the document's own) is its example.
  Fail(exchange, message) {
    const entry = this.failures.get(message);
    if (entry) {
      entry.count++;
    } else {
      const example = exchange ? `${exchange.method} ${exchange.target}` : null;
      this.failures.set(message, {count: 1, example});
    }
  }

  Validate(schema, value) {
    let validate = this.validators.get(schema);
    if (!validate) {
      validate = this.ajv.compile(ToJsonSchema(schema));
      this.validators.set(schema, validate);
    }
    if (validate(value)) return [];
    return NearestBranchErrors(validate.errors).map((error) => {
      const pointer = error.instancePath || '/';
      if (error.keyword === 'unevaluatedProperties') {
        const name = error.params.unevaluatedProperty;
        return `${pointer === '/' ? '' : pointer}/${name}: undocumented property`;
      }
      if (error.keyword === 'additionalProperties') {
        const name = error.params.additionalProperty;
        return `${pointer === '/' ? '' : pointer}/${name}: undocumented property`;
      }
      return `${pointer}: ${error.message}`;
    });
  }

  // The exchange's body as JSON validated against `schema`; returns the failures.
  CheckJsonBody(exchange, schema) {
    let body;
    try {
      body = JSON.parse(exchange.body);
    } catch (error) {
      return [`the body is not JSON (${error.message})`];
    }
    return schema ? this.Validate(schema, body) : [];
  }

  // True if the exchange is the Error body with `code` (and the JSON media type).
  IsError(exchange, code) {
    if (MediaType(exchange.headers['content-type']) !== 'application/json') return false;
    const failures = this.CheckJsonBody(exchange, this.errorSchema);
    if (failures.length > 0) return false;
    return JSON.parse(exchange.body).error.code === code;
  }

  // True if the exchange is one of the document's x-protocol-errors: its status, and its error code
  // (a reply to HEAD has no body to tell it).
  IsProtocolError(exchange) {
    const code = this.protocolErrors.get(String(exchange.status));
    if (code === undefined) return false;
    return exchange.method === 'HEAD' ? exchange.body === '' : this.IsError(exchange, code);
  }

  FindOperations(path) {
    const matches = this.operations.filter((candidate) => candidate.pattern.test(path));
    // A literal segment beats a parameter: keep the templates with the fewest parameters.
    const fewest = Math.min(...matches.map((m) => (m.template.match(/\{/g) || []).length));
    return matches.filter((m) => (m.template.match(/\{/g) || []).length === fewest);
  }

  Check(exchange) {
    this.counts.exchanges++;
    const method = exchange.method.toLowerCase();
    const path = exchange.target.split('?')[0];
    const where = `${exchange.method || '(no request line)'} ${path} -> ${exchange.status}`;
    if (method === '' || !exchange.target.startsWith('/')) {
      if (this.IsProtocolError(exchange)) return this.counts.protocol++;
      return this.Fail(exchange, `${where}: not a request, and not a documented protocol error`);
    }
    const candidates = this.FindOperations(path);
    if (candidates.length === 0) {
      if (exchange.status === 404 && this.IsError(exchange, 'not_found') ||
          this.IsProtocolError(exchange)) {
        return this.counts.unrouted++;
      }
      return this.Fail(exchange, `${where}: no path of the document matches, yet the answer is ` +
                                 'not 404 not_found');
    }
    if (method === 'options') {
      if (exchange.status === 204 || this.IsProtocolError(exchange)) return this.counts.unrouted++;
      return this.Fail(exchange, `${where}: OPTIONS answered other than 204`);
    }
    const wanted = method === 'head' ? 'get' : method;
    const found = candidates.find((candidate) => candidate.method === wanted);
    if (!found) {
      if (exchange.status === 405 && this.IsError(exchange, 'method_not_allowed') ||
          this.IsProtocolError(exchange)) {
        return this.counts.unrouted++;
      }
      return this.Fail(exchange, `${where}: the document has no ${wanted.toUpperCase()} ` +
                                 `${candidates[0].template}, yet the answer is not 405`);
    }
    this.CheckOperation(exchange, found, method === 'head');
  }

  CheckOperation(exchange, found, head) {
    const name = `${found.method.toUpperCase()} ${found.template}`;
    const status = String(exchange.status);
    const response = found.operation.responses[status] || found.operation.responses.default;
    if (!response) {
      if (this.IsProtocolError(exchange)) return this.counts.protocol++;
      return this.Fail(exchange, `${name}: status ${status} is not documented`);
    }
    this.counts.documented++;
    if (!this.covered.has(name)) this.covered.set(name, new Set());
    this.covered.get(name).add(status);
    const where = `${name} ${status}`;
    const content = response.content || {};
    if (Object.keys(content).length === 0) {
      if (exchange.body !== '') this.Fail(exchange, `${where}: a body, where none is documented`);
      return;
    }
    const mediaType = MediaType(exchange.headers['content-type']);
    const documented = Object.keys(content).find((type) => type.toLowerCase() === mediaType);
    if (!documented) {
      return this.Fail(exchange, `${where}: Content-Type '${mediaType}' is not documented ` +
                                 `(${Object.keys(content).join(', ')})`);
    }
    if (head || !IsJson(mediaType)) return;
    for (const failure of this.CheckJsonBody(exchange, content[documented].schema)) {
      this.Fail(exchange, `${where} ${mediaType}: ${failure}`);
    }
  }

  // The rules every operation of the document follows (see the top of this file).
  CheckDocument() {
    const ids = new Set();
    for (const {method, template, operation} of this.operations) {
      const name = `${method.toUpperCase()} ${template}`;
      const statuses = Object.keys(operation.responses);
      const need = (status, why) => {
        if (!statuses.includes(status)) {
          this.Fail(null, `${name}: does not document ${status} (${why})`);
        }
      };
      if (!operation.operationId) {
        this.Fail(null, `${name}: no operationId`);
      } else if (ids.has(operation.operationId)) {
        this.Fail(null, `${name}: operationId '${operation.operationId}' is used twice`);
      }
      ids.add(operation.operationId);
      if (method === 'get') need('304', 'every successful GET has an ETag');
      const security = operation.security || this.spec.security || [];
      if (security.length > 0) need('401', 'it needs a key');
      if (operation.requestBody) {
        need('400', 'it takes a body');
        need('415', 'it takes a body of a given media type');
      }
    }
  }

  // The routes and scopes of the log's GET /v1 index against the document.
  CheckIndex(exchanges) {
    const index = exchanges.find((exchange) => exchange.method === 'GET' &&
                                               exchange.target === '/v1' && exchange.status === 200);
    if (!index) return false;
    const routes = new Map();
    for (const endpoint of JSON.parse(index.body).endpoints) {
      routes.set(`${endpoint.method} ${endpoint.path}`, endpoint.scope);
    }
    const fail = (name, message) => this.Fail(index, `${name}: ${message}`);
    for (const {method, template, operation} of this.operations) {
      const name = `${method.toUpperCase()} ${template}`;
      const scope = routes.get(name);
      if (scope === undefined) {
        fail(name, 'documented, but not in the service\'s index (GET /v1)');
        continue;
      }
      routes.delete(name);
      const security = operation.security || this.spec.security || [];
      if ((scope === 'public') !== (security.length === 0)) {
        fail(name, `scope ${scope}, but the document says security ` + JSON.stringify(security));
      }
      const forbids = scope === 'write' || scope === 'admin';
      if (forbids !== ('403' in operation.responses)) {
        fail(name, `scope ${scope}: 403 must be documented exactly for write and admin routes`);
      }
    }
    for (const name of routes.keys()) fail(name, 'in the service\'s index (GET /v1), not documented');
    return true;
  }

  Report(specPath, logPath, indexChecked) {
    const operations = this.operations.map((o) => `${o.method.toUpperCase()} ${o.template}`);
    const pairs = [...this.covered.values()].reduce((sum, statuses) => sum + statuses.size, 0);
    console.log(`openapi-responses: ${this.counts.exchanges} exchanges in ${logPath} against ` +
                `${specPath}`);
    console.log(`  ${this.counts.documented} answered by ${this.covered.size} of ` +
                `${operations.length} operations (${pairs} operation/status pairs), ` +
                `${this.counts.protocol} protocol errors, ${this.counts.unrouted} answers to ` +
                'no operation (404, 405, OPTIONS)');
    console.log(`  routes and scopes against GET /v1: ${indexChecked ? 'checked' : 'not in the log'}`);
    const unexercised = operations.filter((name) => !this.covered.has(name));
    if (unexercised.length > 0) {
      console.log(`  never exercised (info): ${unexercised.join(', ')}`);
    }
    for (const name of operations.filter((n) => this.covered.has(n))) {
      console.log(`  ${name}: ${[...this.covered.get(name)].sort().join(' ')}`);
    }
    for (const [message, {count, example}] of this.failures) {
      const times = count > 1 ? ` (${count} times)` : '';
      console.log(`FAIL: ${message}${times}` + (example ? `; e.g. ${example}` : ''));
    }
    const failed = [...this.failures.values()].reduce((sum, entry) => sum + entry.count, 0);
    console.log(failed === 0 ? 'openapi-responses: every check passed'
                             : `openapi-responses: ${failed} failures (${this.failures.size} distinct)`);
    return failed === 0;
  }
}

async function Main(argv) {
  if (argv.length !== 2) {
    console.error('usage: node openapi-responses.js SPEC.yaml LOG.jsonl');
    return 2;
  }
  const [specPath, logPath] = argv;
  let spec;
  let exchanges;
  try {
    spec = await SwaggerParser.dereference(specPath);
    exchanges = ReadLog(logPath);
  } catch (error) {
    console.error(`openapi-responses: ${error.message}`);
    return 2;
  }
  const checker = new Checker(spec);
  checker.CheckDocument();
  const indexChecked = checker.CheckIndex(exchanges);
  for (const exchange of exchanges) checker.Check(exchange);
  if (exchanges.length === 0) {
    checker.Fail(null, `${logPath} holds no exchange`);
  }
  return checker.Report(specPath, logPath, indexChecked) ? 0 : 1;
}

Main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(2);
});
