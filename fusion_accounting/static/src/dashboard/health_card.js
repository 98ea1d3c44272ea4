import { Component } from "@odoo/owl";

/** One of the six health cards (design 6.2); a click asks the co-pilot about it; an optional button acts on it. */
export class HealthCard extends Component {
    static template = "fusion_accounting.HealthCard";
    static props = { card: Object, onOpen: Function, onAction: Function, running: { type: Boolean, optional: true } };
}
