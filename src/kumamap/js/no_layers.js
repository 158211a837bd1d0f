// Stands for an empty set of groups (the filters leave no layer anything to show): the map
// forgets the last set as the first group of a new set would make it (layers.js), instead
// of keeping features the filters no longer allow.
(function (group, options) {
    if (window.kumamapLayers) { window.kumamapLayers.receive(); }
})
