-- Diagnostics through the plugin: a Dockerfile and a devcontainer.json with errors get them on
-- the right line; fixing and saving clears them; new settings reach the running server.
local H = require('helpers')
local w = H.workdir

H.run('plugin diagnostics', function()
  vim.cmd('filetype on')
  vim.cmd('runtime plugin/envbuilder.lua')
  local envbuilder = require('envbuilder')
  envbuilder.setup({ cmd = { H.binary, 'lsp', '--stdio' } })

  H.write(w .. '/ws/Dockerfile', 'FROM alpine:3.19\nRUN echo ok\nRUNN make\n')
  H.write(w .. '/ws/.devcontainer/devcontainer.json',
    '{\n  "build": { "dockerfile": "../Dockerfile" },\n  "shutdownAction": "explode"\n}\n')

  local dockerfile = H.edit(w .. '/ws/Dockerfile')
  local d = H.wait_diagnostic(dockerfile, 'UnknownInstruction')
  H.check(d and d.lnum == 2 and d.source == 'envbuilder', 'Dockerfile: UnknownInstruction on line 2',
    function() return vim.inspect(vim.diagnostic.get(dockerfile)) end)

  local config = H.edit(w .. '/ws/.devcontainer/devcontainer.json')
  H.check(vim.bo.filetype == 'jsonc', 'devcontainer.json is jsonc')
  d = H.wait_diagnostic(config, 'InvalidEnumValue')
  H.check(d and d.lnum == 2, 'devcontainer.json: InvalidEnumValue on line 2',
    function() return vim.inspect(vim.diagnostic.get(config)) end)
  H.check(H.attached(config)[1] == H.attached(dockerfile)[1], 'both files share the workspace client')

  -- Fix the Dockerfile and save: the diagnostic goes.
  vim.cmd('buffer ' .. dockerfile)
  vim.api.nvim_buf_set_lines(dockerfile, 2, 3, false, { 'RUN make' })
  vim.cmd('silent write')
  H.wait(10000, function()
    return #H.diagnostics(dockerfile, 'UnknownInstruction') == 0
  end)
  H.check(#H.diagnostics(dockerfile, 'UnknownInstruction') == 0, 'fixed and saved: the diagnostic is gone')

  -- Break it again: it comes back; then the rule is turned off by new settings.
  vim.api.nvim_buf_set_lines(dockerfile, 2, 3, false, { 'RUNN make' })
  vim.cmd('silent write')
  d = H.wait_diagnostic(dockerfile, 'UnknownInstruction')
  H.check(d and d.lnum == 2, 'broken again: the diagnostic is back')
  envbuilder.update_settings({ envbuilder = { lint = { disabledRules = { 'UnknownInstruction' } } } })
  H.wait(10000, function()
    return #H.diagnostics(dockerfile, 'UnknownInstruction') == 0
  end)
  H.check(#H.diagnostics(dockerfile, 'UnknownInstruction') == 0, 'update_settings() turns the rule off')
end)
