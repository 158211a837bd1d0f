/*
 * kumamap offline outline basemap: Natural Earth land, coast, country lines, lakes and
 * rivers drawn from the GeoJSON bands listed in MANIFEST.json beside this file.
 *
 *   var outline = KumamapBasemap.outline(map, 'assets/basemap/', {});
 *   outline.addTo(map);          // or give it to L.control.layers as a base layer
 * Plain ES5 and Leaflet 1.9 only: the page loads it as is, without a build step.
 */
(function (window, L) {
  'use strict';

  // Pale, low-contrast colours so the data layers stay the loudest thing on the map.
  var SEA = '#dcebf5', LAND = '#f6f3ea';
  var STYLES = {
    // A land-coloured stroke hides the hairline canvas leaves where cut polygons meet.
    land: {color: LAND, weight: 1, fillColor: LAND, fillOpacity: 1},
    coast: {color: '#8aa9c0', weight: 1, fill: false},
    border: {color: '#b49ab8', weight: 1, dashArray: '4 3', fill: false},
    lake: {color: '#8aa9c0', weight: 0.5, fillColor: SEA, fillOpacity: 1},
    river: {color: '#a9cbe2', weight: 1, fill: false}
  };
  var PANE = 'kumamapOutline';

  // One fetch per file for every outline on the page (the map's and its mini-map's): the
  // app's server gives these files no cache lifetime, so a second fetch would download
  // them again. A failed fetch is forgotten, so a later move may try again.
  var fetched = {};
  function fetchJson(url) {
    if (!fetched[url]) {
      fetched[url] = fetch(url)
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .catch(function (err) { delete fetched[url]; throw err; });
    }
    return fetched[url];
  }

  function boundsOf(bbox) {
    return L.latLngBounds([bbox[1], bbox[0]], [bbox[3], bbox[2]]);
  }

  var Outline = L.LayerGroup.extend({
    options: {
      attribution: 'Basemap: <a href="https://www.naturalearthdata.com/">Natural Earth</a>' +
        ' (public domain)',
      seaColor: SEA,
      styles: {},
      // name -> URL of each file, where they cannot sit beside each other under baseUrl
      // (a standalone export carries them as data URLs).
      files: null
    },

    initialize: function (baseUrl, options) {
      L.LayerGroup.prototype.initialize.call(this, [], options);
      this._baseUrl = baseUrl.replace(/\/?$/, '/');
      this._bands = null;     // manifest rows, fetched on first add
      this._parts = {};       // band -> {covered_by or '' -> L.GeoJSON}
      this._requested = {};   // band -> true once its fetch has started
    },

    onAdd: function (map) {
      L.LayerGroup.prototype.onAdd.call(this, map);
      // Without tiles the container colour is the sea; keep the page's own to restore it.
      this._oldBackground = map.getContainer().style.backgroundColor;
      map.getContainer().style.backgroundColor = this.options.seaColor;
      map.on('zoomend moveend', this._update, this);
      this._loadManifest();
    },

    onRemove: function (map) {
      map.off('zoomend moveend', this._update, this);
      map.getContainer().style.backgroundColor = this._oldBackground;
      L.LayerGroup.prototype.onRemove.call(this, map);
    },

    _loadManifest: function () {
      if (this._bands) { return this._update(); }
      var self = this;
      fetchJson(this._url('MANIFEST.json'))
        .then(function (manifest) { self._bands = manifest.bands; self._update(); })
        .catch(function (err) { self.fire('basemaperror', {file: 'MANIFEST.json', error: err}); });
    },

    _url: function (name) {
      var files = this.options.files;
      return (files && files[name]) || this._baseUrl + name;
    },

    _active: function (band) {
      return this._map.getZoom() >= band.min_zoom;
    },

    // A band is worth fetching only if it is in zoom, in view, and not entirely hidden by
    // the finer band that covers it: so the first view loads one file, not all three.
    _isWanted: function (band, view) {
      if (!this._active(band) || !view.intersects(boundsOf(band.bbox))) { return false; }
      var finer = this._band(band.covered_by);
      return !(finer && this._active(finer) && boundsOf(finer.bbox).contains(view));
    },

    _band: function (id) {
      return this._bands.filter(function (b) { return b.band === id; })[0] || null;
    },

    _update: function () {
      if (!this._map || !this._bands) { return; }
      var view = this._map.getBounds();
      var self = this;
      this._bands.forEach(function (band) {
        if (self._isWanted(band, view) && !self._requested[band.band]) { self._fetch(band); }
      });
      this._bands.forEach(function (band) {
        for (var key in self._parts[band.band]) {
          // Coarse outlines stay under the fine band until the fine band has arrived.
          var finer = key && self._band(key), layer = self._parts[band.band][key];
          var isShown = self._active(band) && !(finer && self._active(finer) && self._parts[key]);
          if (isShown !== self.hasLayer(layer)) {
            self[isShown ? 'addLayer' : 'removeLayer'](layer);
          }
        }
      });
    },

    _fetch: function (band) {
      var self = this;
      this._requested[band.band] = true;
      fetchJson(this._url(band.file))
        .then(function (data) { self._parts[band.band] = self._split(data); self._update(); })
        .catch(function (err) {
          self._requested[band.band] = false;  // let a later move try again
          self.fire('basemaperror', {file: band.file, error: err});
        });
    },

    // One layer per covered_by value, so hiding what a finer band covers is one toggle.
    _split: function (data) {
      var groups = {}, parts = {}, styles = L.extend({}, STYLES, this.options.styles);
      var renderer = this._renderer();
      data.features.forEach(function (f) {
        var key = f.properties.covered_by || '';
        (groups[key] = groups[key] || []).push(f);
      });
      Object.keys(groups).forEach(function (key) {
        parts[key] = L.geoJSON(groups[key], {
          pane: PANE, renderer: renderer, interactive: false,
          style: function (f) { return styles[f.properties.kind]; }
        });
      });
      return parts;
    },

    // Canvas draws tens of thousands of coast vertices faster than SVG; the own pane sits
    // under the tile pane, so tiles switched on as well simply cover the outline.
    _renderer: function () {
      if (!this._canvas) {
        if (!this._map.getPane(PANE)) { this._map.createPane(PANE).style.zIndex = 150; }
        this._canvas = L.canvas({pane: PANE, padding: 0.5});
      }
      return this._canvas;
    }
  });

  window.KumamapBasemap = {
    outline: function (map, baseUrl, options) {
      // The map is not changed here: the layer only touches it while it is added.
      return new Outline(baseUrl, options);
    }
  };
}(window, L));
