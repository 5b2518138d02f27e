// Builds the world map: static/map/world.svg, SVG path data for every state in
// fixtures/states.json, and static/map/world.json, what pages need to know about each state. Drawn
// ahead of time so that pages render the map without JavaScript.
//
//   cd tools/map && npm install && npm run build
//
// Geometry: Natural Earth 1:50m admin-0 countries, as packaged by the npm module world-atlas
// (countries-50m.json, public domain). Projection: Equal Earth, so areas compare fairly.
//
// Simplification keeps shared borders identical on both sides: every projected point is snapped to
// an integer grid (the SVG viewBox is GRID_WIDTH units wide) and a point is dropped when it lands
// on the same grid cell as the one before it. Snapping depends only on the point itself, so the
// two countries that share a border snap it the same way and no slivers open between them.
//
// Output (read by recommendations/templatetags/charts.py, keyed by alpha-2 so no query is needed):
//   world.svg: <path id="FR" d="M..."/> per state with a shape, and <path id="other"/> for land that
//     is not one of the 195 states. Pages draw each state with <use href="world.svg#FR">, so the
//     geometry is downloaded once and cached instead of repeated in every page. The paths carry no
//     fill or stroke: a <use> passes its own down to them.
//   world.json: {"width": W, "height": H,
//     "states": {"FR": {"name": "France", "numeric": "250", "shape": true, "marker": [x, y] | null}}}

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { feature, merge } from "topojson-client";
import { geoArea, geoCentroid, geoEqualEarth, geoPath } from "d3-geo";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const outJson = resolve(root, "static/map/world.json");
const outSvg = resolve(root, "static/map/world.svg");

const GRID_WIDTH = 2000; // viewBox units across; 1 unit is under a pixel on a 1280 px wide page
const MARKER_BELOW = 60; // square units: states smaller than about 8 x 8 units also get a dot

// Features of the 50m file without an ISO code. Where the UN counts the territory as part of a
// Member State it is merged into that state; the rest is drawn as unlabelled land.
const ATTRIBUTE_UNNAMED = {
  Somaliland: "706", // Somalia
  "N. Cyprus": "196", // Cyprus
};

// States missing from the 50m file, placed at their capital (lon, lat) so they still get a dot.
const MISSING = {
  798: [179.19, -8.52], // Tuvalu: Funafuti; its atolls are below the 1:50m scale
};

const topology = JSON.parse(readFileSync(resolve(here, "node_modules/world-atlas/countries-50m.json"), "utf8"));
const states = JSON.parse(readFileSync(resolve(root, "fixtures/states.json"), "utf8"))
  .filter((record) => record.model === "recommendations.state")
  .map((record) => record.fields);

// Antarctica is left out: no state tracks anything there, and it would take a fifth of the height.
const geometries = topology.objects.countries.geometries.filter((g) => g.id !== "010");
const byNumeric = new Map();
const other = [];
for (const geometry of geometries) {
  const id = geometry.id ?? ATTRIBUTE_UNNAMED[geometry.properties.name];
  if (id === undefined) {
    other.push(geometry);
    continue;
  }
  if (!byNumeric.has(id)) byNumeric.set(id, []);
  byNumeric.get(id).push(geometry);
}

// One MultiPolygon per numeric code: merge() also dissolves the borders between merged parts
// (Somalia and Somaliland, Australia and the Ashmore and Cartier Islands).
function shapeOf(parts) {
  return parts.length === 1 ? feature(topology, parts[0]) : { type: "Feature", geometry: merge(topology, parts) };
}

const land = { type: "FeatureCollection", features: [...byNumeric.values()].map(shapeOf) };
const projection = geoEqualEarth().fitWidth(GRID_WIDTH, land);
const [[, top], [, bottom]] = geoPath(projection).bounds(land);
projection.translate([projection.translate()[0], projection.translate()[1] - Math.floor(top)]);
const height = Math.ceil(bottom - top);

// A d3 path context that writes relative commands on the integer grid, dropping repeated points
// and rings that collapse to fewer than three distinct points.
class GridPath {
  constructor() {
    this.out = [];
    this.ring = null;
  }
  moveTo(x, y) {
    this.flush();
    this.ring = [[Math.round(x), Math.round(y)]];
  }
  lineTo(x, y) {
    const point = [Math.round(x), Math.round(y)];
    const last = this.ring[this.ring.length - 1];
    if (point[0] !== last[0] || point[1] !== last[1]) this.ring.push(point);
  }
  closePath() {
    this.flush();
  }
  arc() {
    throw new Error("point geometries are not expected");
  }
  flush() {
    const ring = this.ring;
    this.ring = null;
    if (!ring) return;
    const first = ring[0];
    const last = ring[ring.length - 1];
    if (ring.length > 1 && first[0] === last[0] && first[1] === last[1]) ring.pop();
    if (ring.length < 3) return;
    let d = `M${first[0]},${first[1]}l`;
    for (let i = 1; i < ring.length; i++) {
      const dx = ring[i][0] - ring[i - 1][0];
      const dy = ring[i][1] - ring[i - 1][1];
      d += (i > 1 && dx >= 0 ? " " : "") + dx + (dy >= 0 ? "," : "") + dy;
    }
    this.out.push(d + "z");
  }
  result() {
    this.flush();
    return this.out.join("");
  }
}

function pathData(shape) {
  const context = new GridPath();
  geoPath(projection, context)(shape);
  return context.result();
}

const projectedArea = geoPath(projection).area;

// The dot goes on the largest polygon, so that a state spread over an ocean (Kiribati, Fiji)
// is marked on its main island rather than at a centroid in open sea.
function markerOf(shape) {
  const polygons =
    shape.geometry.type === "MultiPolygon"
      ? shape.geometry.coordinates.map((coordinates) => ({ type: "Polygon", coordinates }))
      : [shape.geometry];
  const largest = polygons.reduce((a, b) => (geoArea(b) > geoArea(a) ? b : a));
  return projection(geoCentroid(largest)).map((v) => Math.round(v));
}

const result = { width: GRID_WIDTH, height, states: {} };
const paths = [];
const missing = [];
for (const state of states) {
  const parts = byNumeric.get(state.numeric);
  const entry = { name: state.name, numeric: state.numeric, shape: false, marker: null };
  if (parts) {
    const shape = shapeOf(parts);
    const d = pathData(shape);
    if (d) paths.push([state.iso2, d]);
    entry.shape = Boolean(d);
    if (projectedArea(shape) < MARKER_BELOW || !d) entry.marker = markerOf(shape);
  } else if (MISSING[state.numeric]) {
    entry.marker = projection(MISSING[state.numeric]).map((v) => Math.round(v));
  } else {
    missing.push(`${state.iso2} ${state.name}`);
  }
  result.states[state.iso2] = entry;
}
if (missing.length) throw new Error(`no geometry or marker for: ${missing.join(", ")}`);

// Land of territories that are not among the states (Greenland, Western Sahara, Kosovo, ...).
const stateNumerics = new Set(states.map((s) => s.numeric));
const rest = [...other, ...[...byNumeric.entries()].filter(([id]) => !stateNumerics.has(id)).flatMap(([, g]) => g)];
paths.unshift(["other", pathData({ type: "Feature", geometry: merge(topology, rest) })]);

// vector-effect is not inherited, so it cannot come from the <use>: borders stay thin at any size.
const svg =
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${GRID_WIDTH} ${height}"><defs>\n` +
  paths.map(([id, d]) => `<path id="${id}" d="${d}" vector-effect="non-scaling-stroke"/>\n`).join("") +
  "</defs></svg>\n";

mkdirSync(dirname(outJson), { recursive: true });
writeFileSync(outJson, JSON.stringify(result));
writeFileSync(outSvg, svg);
const markers = Object.entries(result.states).filter(([, s]) => s.marker).map(([iso2]) => iso2);
console.log(`wrote ${outSvg}: ${readFileSync(outSvg).length} bytes, ${GRID_WIDTH} x ${height}`);
console.log(`wrote ${outJson}: ${readFileSync(outJson).length} bytes`);
console.log(`dots for ${markers.length} small states: ${markers.join(" ")}`);
